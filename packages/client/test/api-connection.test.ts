import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CairnClientError, createCairnClient, openApiConnection } from '../src/index.js';

// A real socket on 127.0.0.1: these tests are about the network (retries, timeouts, TLS).
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

function serve(
  handler: Handler,
  server: Server = createHttpServer(),
  protocol: 'http' | 'https' = 'http',
): Promise<string> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`${protocol}://127.0.0.1:${port}`);
    }),
  );
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const ASK_DATA = { ask: { solutions: [{ x: 'a' }], count: 1, truncated: false, proofs: null } };

describe('openApiConnection', () => {
  test('posts the operation to /graphql with the bearer credential and returns typed data', async () => {
    const seen: { path?: string; authorization?: string; body?: unknown } = {};
    const url = await serve((req, body, res) => {
      seen.path = req.url ?? '';
      seen.authorization = req.headers.authorization ?? '';
      seen.body = JSON.parse(body);
      json(res, 200, { data: ASK_DATA });
    });
    const connection = openApiConnection({ url });
    try {
      const client = createCairnClient(connection.executor('cairn_secret'));
      const result = await client.ask({ query: 'p(?x)', database: 'kb' });
      expect(result.solutions).toEqual([{ x: 'a' }]);
      expect(seen.path).toBe('/graphql');
      expect(seen.authorization).toBe('Bearer cairn_secret');
      expect(seen.body).toMatchObject({
        variables: { query: 'p(?x)', database: 'kb', tenant: null },
      });
      expect(String((seen.body as { query: string }).query)).toContain('query Ask');
    } finally {
      await connection.close();
    }
  });

  test('passes the API error code, message and position through', async () => {
    const url = await serve((_req, _body, res) =>
      json(res, 200, {
        errors: [
          {
            message: 'unexpected ")"',
            extensions: { code: 'BAD_USER_INPUT', line: 1, column: 7, argument: 'fact' },
          },
        ],
        data: null,
      }),
    );
    const connection = openApiConnection({ url });
    try {
      const error = await createCairnClient(connection.executor())
        .tell({ fact: 'p(a))' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CairnClientError);
      expect(error).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'unexpected ")"',
        line: 1,
        column: 7,
        argument: 'fact',
      });
    } finally {
      await connection.close();
    }
  });

  test('retries an idempotent read after a 503, never a mutation', async () => {
    let calls = 0;
    const url = await serve((_req, body, res) => {
      calls++;
      if (calls === 1 || body.includes('mutation')) {
        res.writeHead(503).end('draining');
        return;
      }
      json(res, 200, { data: ASK_DATA });
    });
    const connection = openApiConnection({ url, retryDelayMs: 1 });
    try {
      const client = createCairnClient(connection.executor());
      await expect(client.ask({ query: 'p(?x)' })).resolves.toMatchObject({ count: 1 });
      expect(calls).toBe(2);
      calls = 10;
      const error = await client.tell({ fact: 'p(a)' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 503 });
      expect(calls).toBe(11);
    } finally {
      await connection.close();
    }
  });

  test('a read that never gets an answer ends with TIMEOUT after its retries', async () => {
    let calls = 0;
    // Counted when the headers arrive (not the body), so a busy machine cannot hide an attempt.
    const silent = createHttpServer(() => {
      calls++;
    });
    const url = await serve(() => undefined, silent);
    const connection = openApiConnection({ url, timeoutMs: 500, retries: 1, retryDelayMs: 1 });
    try {
      const error = await createCairnClient(connection.executor())
        .databases()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TIMEOUT' });
      expect(calls).toBe(2);
    } finally {
      await connection.close();
    }
  });

  test('a refused connection is NETWORK and names the API origin', async () => {
    const url = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const connection = openApiConnection({ url, retries: 0 });
    try {
      const error = await createCairnClient(connection.executor())
        .me()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK' });
      expect((error as Error).message).toContain(new URL(url).origin);
      expect((error as Error).message).toContain('ECONNREFUSED');
    } finally {
      await connection.close();
    }
  });

  test.each([
    ['not a url', 'is not a URL'],
    ['ftp://cairn.example.com', 'must be http(s)'],
    ['https://user:pw@cairn.example.com', 'must not carry credentials'],
  ])('refuses the API URL %s', (url, message) => {
    expect(() => openApiConnection({ url })).toThrow(message);
  });

  test('refuses a timeout or retry count that makes no sense', () => {
    expect(() => openApiConnection({ url: 'http://127.0.0.1:1', timeoutMs: 0 })).toThrow(
      'timeoutMs',
    );
    expect(() => openApiConnection({ url: 'http://127.0.0.1:1', retries: -1 })).toThrow('retries');
  });
});

describe('TLS with an extra CA', () => {
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-client-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=cairn-test',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a private certificate is refused without its CA and trusted with it', async () => {
    const url = await serve(
      (_req, _body, res) => json(res, 200, { data: { databases: [] } }),
      createHttpsServer({ cert, key }),
      'https',
    );
    const untrusted = openApiConnection({ url, retries: 2 });
    const trusted = openApiConnection({ url, ca: cert });
    try {
      const error = await createCairnClient(untrusted.executor())
        .databases()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK' });
      expect((error as Error).message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
      await expect(createCairnClient(trusted.executor()).databases()).resolves.toEqual([]);
    } finally {
      await Promise.all([untrusted.close(), trusted.close()]);
    }
  });
});
