import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BRIDGE_CLI,
  type Bridge,
  bridgeEnvironment,
  startHttpBridge,
} from '../support/mcp-bridge-process.js';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

// The bridge against a real `cairn serve` in legacy mode (one shared API_KEY). Managed-mode
// roles, tenant scopes and JWT audiences are in mcp-bridge-managed.test.ts.

// mcp-remote is a devDependency of apps/mcp, installed from the npm registry like any client.
const MCP_REMOTE = fileURLToPath(
  new URL('../../apps/mcp/node_modules/mcp-remote/dist/proxy.js', import.meta.url),
);
const API_KEY = 'legacy-shared-key-0123456789abcdef';

async function connectHttp(
  endpoint: URL,
  token: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'e2e', version: '0' });
  await client.connect(transport);
  return { client, transport };
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as Array<{ type: string; text?: string }>)
    .map((part) => part.text ?? '')
    .join('\n');

let data: Awaited<ReturnType<typeof createTempDataDir>>;
let server: ServerProcess;
let bridge: Bridge;

beforeAll(async () => {
  data = await createTempDataDir();
  server = await startServer({ DATA_DIR: data.dir, API_KEY });
  bridge = await startHttpBridge({ CAIRN_URL: server.url });
});
afterAll(async () => {
  await bridge?.stop();
  await server?.stop();
  await data?.remove();
});

describe('cairn-mcp --http (Streamable HTTP)', () => {
  test('without a bearer: 401 with a WWW-Authenticate header pointing at RFC 9728 metadata', async () => {
    const response = await fetch(bridge.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(
      new URL('/.well-known/oauth-protected-resource', bridge.endpoint).href,
    );
    const metadata = (await (await fetch(metadataUrl ?? '')).json()) as Record<string, unknown>;
    expect(metadata.resource).toBe(bridge.endpoint.href);
    expect(metadata.bearer_methods_supported).toEqual(['header']);
  });

  test('an invalid API key: 401 invalid_token, checked by the API', async () => {
    const response = await fetch(bridge.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: 'Bearer not-the-key',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('the SDK client lists the tools, tells, teaches and asks through the bridge', async () => {
    const { client, transport } = await connectHttp(bridge.endpoint, API_KEY);
    try {
      // The revision the SDK's client and server agree on today (the SDK speaks 2024-10-07 …
      // 2025-11-25; the 2026-07-28 revision with state handles is not in any 1.x SDK yet).
      expect(transport.protocolVersion).toBe('2025-11-25');
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'ask',
        'list_databases',
        'list_predicates',
        'retract',
        'teach',
        'tell',
        'tell_many',
      ]);
      const told = await client.callTool({
        name: 'tell_many',
        arguments: { facts: ['parent(alice, bob)', 'parent(bob, carol)'] },
      });
      expect(told.isError).toBeFalsy();
      expect(told.structuredContent).toMatchObject({ count: 2 });
      await client.callTool({
        name: 'teach',
        arguments: { rule: 'ancestor(?x, ?y) :- parent(?x, ?y)' },
      });
      await client.callTool({
        name: 'teach',
        arguments: { rule: 'ancestor(?x, ?z) :- parent(?x, ?y), ancestor(?y, ?z)' },
      });
      const answer = await client.callTool({
        name: 'ask',
        arguments: { query: 'ancestor(alice, ?who)' },
      });
      expect(answer.structuredContent).toMatchObject({ count: 2, truncated: false });
      expect((answer.structuredContent as { solutions: unknown[] }).solutions).toEqual(
        expect.arrayContaining([{ who: 'bob' }, { who: 'carol' }]),
      );
      expect(text(answer)).toContain('2 answers');
      const predicates = await client.callTool({ name: 'list_predicates', arguments: {} });
      expect(text(predicates)).toContain('ancestor/2');
      const retracted = await client.callTool({
        name: 'retract',
        arguments: { pattern: 'parent(bob, ?x)' },
      });
      expect(retracted.structuredContent).toEqual({ retracted: 1 });
    } finally {
      await client.close();
    }
  });

  test("the API's error code and message become a tool error, never a stack", async () => {
    const { client } = await connectHttp(bridge.endpoint, API_KEY);
    try {
      const result = await client.callTool({ name: 'tell', arguments: { fact: 'parent(alice' } });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/^BAD_USER_INPUT: /);
      expect(text(result)).not.toMatch(/\bat .*\.js:\d+/);
      const missing = await client.callTool({
        name: 'ask',
        arguments: { query: 'p(?x)', database: 'nope' },
      });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toMatch(/^NOT_FOUND: /);
    } finally {
      await client.close();
    }
  });

  test('tenants stay apart through the bridge', async () => {
    const { client } = await connectHttp(bridge.endpoint, API_KEY);
    try {
      await client.callTool({ name: 'tell', arguments: { fact: 'secret(t1_only)', tenant: 't1' } });
      const other = await client.callTool({
        name: 'ask',
        arguments: { query: 'secret(?x)', tenant: 't2' },
      });
      expect(other.structuredContent).toMatchObject({ count: 0 });
      const own = await client.callTool({
        name: 'ask',
        arguments: { query: 'secret(?x)', tenant: 't1' },
      });
      expect(own.structuredContent).toMatchObject({ count: 1, solutions: [{ x: 't1_only' }] });
    } finally {
      await client.close();
    }
  });

  test('another credential cannot use a session: it is answered like an unknown session', async () => {
    const { client, transport } = await connectHttp(bridge.endpoint, API_KEY);
    try {
      const response = await fetch(bridge.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: 'Bearer someone-else',
          'mcp-session-id': transport.sessionId ?? '',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'list_databases', arguments: {} },
        }),
      });
      expect(response.status).toBe(404);
      await expect(client.listTools()).resolves.toBeDefined();
    } finally {
      await client.close();
    }
  });

  test('a browser Origin that is not the bridge is refused (DNS rebinding)', async () => {
    const response = await fetch(bridge.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${API_KEY}`,
        origin: 'http://evil.example',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(403);
  });
});

describe('cairn-mcp (stdio)', () => {
  const connectStdio = async (env: Record<string, string>) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BRIDGE_CLI],
      env: bridgeEnvironment({ CAIRN_URL: server.url, ...env }),
      stderr: 'ignore',
    });
    const client = new Client({ name: 'e2e-stdio', version: '0' });
    await client.connect(transport);
    return client;
  };

  test('CAIRN_TOKEN, CAIRN_DATABASE and CAIRN_TENANT apply to every call', async () => {
    const client = await connectStdio({ CAIRN_TOKEN: API_KEY, CAIRN_TENANT: 'stdio' });
    try {
      const told = await client.callTool({
        name: 'tell',
        arguments: { fact: 'plan(acme, enterprise)' },
      });
      expect(told.structuredContent).toMatchObject({
        fact: { tenant: 'stdio', predicate: 'plan' },
      });
      const answer = await client.callTool({
        name: 'ask',
        arguments: { query: 'plan(acme, ?tier)' },
      });
      expect(answer.structuredContent).toMatchObject({ solutions: [{ tier: 'enterprise' }] });
    } finally {
      await client.close();
    }
  });

  test("without a token the API's UNAUTHENTICATED comes back as a tool error", async () => {
    const client = await connectStdio({});
    try {
      const result = await client.callTool({ name: 'list_databases', arguments: {} });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/^UNAUTHENTICATED: /);
    } finally {
      await client.close();
    }
  });
});

describe('mcp-remote (stdio ↔ Streamable HTTP with --header), as clients without header support use it', () => {
  test('lists the tools and asks through mcp-remote with the bearer in --header', async () => {
    // mcp-remote keeps OAuth state under its config dir: a private one, removed afterwards.
    const configDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-remote-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        MCP_REMOTE,
        bridge.endpoint.href,
        '--header',
        `Authorization:Bearer ${API_KEY}`,
        '--transport',
        'http-only',
      ],
      env: bridgeEnvironment({ MCP_REMOTE_CONFIG_DIR: configDir, HOME: configDir }) as Record<
        string,
        string
      >,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'e2e-mcp-remote', version: '0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('ask');
      await client.callTool({
        name: 'tell',
        arguments: { fact: 'via(mcp_remote)', tenant: 'remote' },
      });
      const answer = await client.callTool({
        name: 'ask',
        arguments: { query: 'via(?how)', tenant: 'remote' },
      });
      expect(answer.structuredContent).toMatchObject({
        count: 1,
        solutions: [{ how: 'mcp_remote' }],
      });
    } finally {
      await client.close();
      await rm(configDir, { recursive: true, force: true });
    }
  });

  test('mcp-remote with a wrong key does not get in', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-remote-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        MCP_REMOTE,
        bridge.endpoint.href,
        '--header',
        'Authorization:Bearer wrong-key',
        '--transport',
        'http-only',
      ],
      env: bridgeEnvironment({ MCP_REMOTE_CONFIG_DIR: configDir, HOME: configDir }) as Record<
        string,
        string
      >,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'e2e-mcp-remote', version: '0' });
    try {
      await expect(
        Promise.race([
          client.connect(transport).then(() => client.listTools()),
          new Promise((_resolve, reject) =>
            setTimeout(() => reject(new Error('no answer in 20 s')), 20_000),
          ),
        ]),
      ).rejects.toThrow();
    } finally {
      await client.close();
      await rm(configDir, { recursive: true, force: true });
    }
  });
});

describe("cairn serve's own /mcp (in-process tools, same origin as the API)", () => {
  test('without a credential: 401 from the authentication plugin, pointing at the metadata', async () => {
    const endpoint = new URL('/mcp', server.url);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      response.headers.get('www-authenticate') ?? '',
    )?.[1];
    expect(metadataUrl).toBe(new URL('/.well-known/oauth-protected-resource', server.url).href);
    const metadata = (await (await fetch(metadataUrl ?? '')).json()) as Record<string, unknown>;
    expect(metadata.bearer_methods_supported).toEqual(['header']);
  });

  test('the SDK client tells and asks in-process with the shared key', async () => {
    const { client } = await connectHttp(new URL('/mcp', server.url), API_KEY);
    try {
      const told = await client.callTool({
        name: 'tell',
        arguments: { fact: 'served(in_process)', tenant: 'own' },
      });
      expect(told.isError).toBeFalsy();
      expect(told.structuredContent).toMatchObject({
        fact: { predicate: 'served', tenant: 'own', assertedBy: expect.any(String) },
      });
      const answer = await client.callTool({
        name: 'ask',
        arguments: { query: 'served(?how)', tenant: 'own' },
      });
      expect(answer.structuredContent).toMatchObject({
        count: 1,
        solutions: [{ how: 'in_process' }],
      });
      const bad = await client.callTool({ name: 'teach', arguments: { rule: 'broken(?x) :- ' } });
      expect(bad.isError).toBe(true);
      expect(text(bad)).toMatch(/^BAD_USER_INPUT: /);
    } finally {
      await client.close();
    }
  });

  test('a wrong key is refused with 401 and the session of the right key is not reachable with it', async () => {
    const endpoint = new URL('/mcp', server.url);
    const { client, transport } = await connectHttp(endpoint, API_KEY);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: 'Bearer wrong-key',
          'mcp-session-id': transport.sessionId ?? '',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('resource_metadata=');
    } finally {
      await client.close();
    }
  });

  test('a rebound host name (evil.example → 127.0.0.1) cannot drive /mcp from a browser', async () => {
    const endpoint = new URL('/mcp', server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const call = httpRequest(
        endpoint,
        {
          method: 'POST',
          headers: {
            host: `evil.example:${endpoint.port}`,
            origin: `http://evil.example:${endpoint.port}`,
            authorization: `Bearer ${API_KEY}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      call.on('error', reject);
      call.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }));
    });
    expect(status).toBe(403);
  });
});
