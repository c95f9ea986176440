import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiConnection } from '@cairn/client';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthenticator } from '../src/http/authenticate.js';
import { type BridgeApp, createBridgeApp } from '../src/http/create-bridge-app.js';
import { createJwtVerifier } from '../src/http/jwt-verifier.js';
import { createBridgeLogger } from '../src/logger.js';

// The bridge's HTTP layer through app.fetch (no port for the bridge itself). The "API" here is
// only a JWKS on 127.0.0.1 that answers UNAUTHENTICATED to GraphQL, as an auth-enabled Cairn
// does for a caller without a valid credential; tools against a real API are in test/e2e.
const RESOURCE = new URL('https://cairn.test');
const ENDPOINT = new URL('http://127.0.0.1:9301/mcp');
let api: Server;
let app: BridgeApp;
let privateKey: CryptoKey;
const logLines: string[] = [];

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  api = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    if (req.headers.authorization === 'Bearer locked-out-key') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' });
      res.end(
        JSON.stringify({
          errors: [
            {
              message: 'too many failed authentications; retry in 60 s',
              extensions: { code: 'RATE_LIMITED' },
            },
          ],
        }),
      );
      return;
    }
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ message: 'authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
      }),
    );
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const connection = openApiConnection({
    url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
  });
  app = createBridgeApp({
    connection,
    authenticate: createAuthenticator({
      connection,
      verifyJwt: createJwtVerifier({
        jwksUrl: new URL('/.well-known/jwks.json', connection.endpoint),
        resource: RESOURCE,
      }),
    }),
    endpoint: ENDPOINT,
    allowedOrigins: new Set(['http://127.0.0.1:9301']),
    allowedHosts: 'loopback',
    defaults: {},
    version: '0.0.0-test',
    logger: createBridgeLogger((line) => logLines.push(line)),
  });
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

const initialize = (headers: Record<string, string>) =>
  app.fetch(
    new Request(ENDPOINT, {
      method: 'POST',
      headers: {
        host: '127.0.0.1:9301',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 't', version: '0' },
        },
      }),
    }),
  );

const token = (aud: string) =>
  new SignJWT({ aud, exp: Math.floor(Date.now() / 1000) + 600 })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('user-7')
    .sign(privateKey);

describe('createBridgeApp', () => {
  test('serves RFC 9728 metadata at the root and path-suffixed URLs', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await app.fetch(
        new Request(new URL(path, ENDPOINT), { headers: { host: '127.0.0.1:9301' } }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: ENDPOINT.href,
        resource_name: 'Cairn MCP',
        authorization_servers: [],
        bearer_methods_supported: ['header'],
      });
    }
  });

  test('no bearer while the API requires auth: 401 pointing at the metadata', async () => {
    const response = await initialize({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer resource_metadata="http://127.0.0.1:9301/.well-known/oauth-protected-resource", error_description="authentication required: send Authorization: Bearer <token>"',
    );
  });

  test('a JWT of this deployment opens a session; one for another audience gets invalid_token', async () => {
    const accepted = await initialize({ authorization: `Bearer ${await token(RESOURCE.href)}` });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await initialize({
      authorization: `Bearer ${await token('https://elsewhere.test')}`,
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(refused.headers.get('www-authenticate')).toContain('another audience');
  });

  test('an API key the API does not accept: 401 invalid_token; the key is never logged', async () => {
    const response = await initialize({ authorization: 'Bearer cairn_secret_value_123' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(logLines.join('\n')).not.toContain('cairn_secret_value_123');
  });

  test("the API's lockout reaches the caller as 429 with Retry-After, not as a bad key", async () => {
    const response = await initialize({ authorization: 'Bearer locked-out-key' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(await response.json()).toMatchObject({ error: 'rate_limited' });
  });

  test('a non-Bearer Authorization header: 401 invalid_request', async () => {
    const response = await initialize({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  test('a foreign Origin or a rebinding Host is refused before authentication', async () => {
    const foreign = await initialize({
      origin: 'https://evil.example',
      authorization: `Bearer ${await token(RESOURCE.href)}`,
    });
    expect(foreign.status).toBe(403);
    const rebound = await initialize({
      host: 'evil.example:9301',
      authorization: `Bearer ${await token(RESOURCE.href)}`,
    });
    expect(rebound.status).toBe(403);
    const own = await initialize({
      origin: 'http://127.0.0.1:9301',
      authorization: `Bearer ${await token(RESOURCE.href)}`,
    });
    expect(own.status).toBe(200);
  });

  test('any other path is 404 naming the endpoint', async () => {
    const response = await app.fetch(
      new Request(new URL('/sse', ENDPOINT), { headers: { host: '127.0.0.1:9301' } }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_description: 'the MCP endpoint is /mcp' });
  });
});

test('an API with authentication disabled needs no bearer (its local user answers `me`)', async () => {
  const disabled = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        data: { me: { id: 'local', kind: 'local', name: 'local user', tenant: null } },
      }),
    );
  });
  await new Promise<void>((resolve) => disabled.listen(0, '127.0.0.1', resolve));
  const connection = openApiConnection({
    url: `http://127.0.0.1:${(disabled.address() as AddressInfo).port}`,
  });
  const open = createBridgeApp({
    connection,
    authenticate: createAuthenticator({
      connection,
      verifyJwt: createJwtVerifier({
        jwksUrl: new URL('/.well-known/jwks.json', connection.endpoint),
        resource: RESOURCE,
      }),
    }),
    endpoint: ENDPOINT,
    allowedOrigins: new Set(),
    allowedHosts: 'loopback',
    defaults: {},
    version: '0',
    logger: createBridgeLogger(() => undefined),
  });
  try {
    const response = await open.fetch(
      new Request(ENDPOINT, {
        method: 'POST',
        headers: {
          host: '127.0.0.1:9301',
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '0' },
          },
        }),
      }),
    );
    expect(response.status).toBe(200);
  } finally {
    await open.close();
    await connection.close();
    await new Promise<void>((resolve) => disabled.close(() => resolve()));
  }
});
