import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Bridge, startHttpBridge } from '../support/mcp-bridge-process.js';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

// MCP against a real `cairn serve` in managed mode (AUTH_ENABLED=true): roles, tenant scopes,
// access tokens and their audience, through the cairn-mcp bridge and through the server's own
// in-process /mcp endpoint. The API decides every call; the MCP layers only carry the caller.

const PUBLIC_URL = 'https://cairn.test';
const ADMIN = { username: 'root', password: 'correct horse battery staple 42' };

async function connect(endpoint: URL, token: string) {
  const transport = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'e2e-managed', version: '0' });
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
let foreignAudienceBridge: Bridge;
const keys = { admin: '', reader: '', writer: '', tenantWriter: '' };
let accessToken = '';

async function graphql(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await server.graphql(
    query,
    variables,
    token === undefined ? {} : { authorization: `Bearer ${token}` },
  );
  if (response.body.errors !== undefined) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data as Record<string, Record<string, unknown>>;
}

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey } }`;

beforeAll(async () => {
  data = await createTempDataDir();
  server = await startServer({ DATA_DIR: data.dir, AUTH_ENABLED: 'true', PUBLIC_URL });
  const boot = await graphql(
    `mutation ($u: String!, $p: String!) { bootstrap(username: $u, password: $p, keyName: "admin") { apiKey } }`,
    { u: ADMIN.username, p: ADMIN.password },
  );
  keys.admin = String(boot.bootstrap?.apiKey);
  const issue = async (input: Record<string, unknown>) =>
    String((await graphql(CREATE_KEY, { input }, keys.admin)).createApiKey?.apiKey);
  keys.reader = await issue({ name: 'reader', role: 'reader' });
  keys.writer = await issue({ name: 'writer', role: 'writer' });
  keys.tenantWriter = await issue({ name: 't1-writer', role: 'writer', tenants: ['t1'] });
  const session = await graphql(
    `mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`,
    { u: ADMIN.username, p: ADMIN.password },
  );
  accessToken = String(session.login?.accessToken);
  bridge = await startHttpBridge({ CAIRN_URL: server.url, CAIRN_PUBLIC_URL: PUBLIC_URL });
  // A bridge that fronts another deployment: Cairn's own tokens are for the wrong audience there.
  foreignAudienceBridge = await startHttpBridge({
    CAIRN_URL: server.url,
    CAIRN_PUBLIC_URL: 'https://other.test',
  });
}, 120_000);

afterAll(async () => {
  await bridge?.stop();
  await foreignAudienceBridge?.stop();
  await server?.stop();
  await data?.remove();
});

const endpoints = () =>
  [
    ['the cairn-mcp bridge', bridge.endpoint],
    ["cairn serve's own /mcp", new URL('/mcp', server.url)],
  ] as const;

describe.each([0, 1])(
  'roles and scopes hold through MCP (%i: 0 = the bridge, 1 = /mcp of cairn serve)',
  (index) => {
    const endpoint = () => endpoints()[index]?.[1] ?? new URL('about:blank');

    test("a reader key can ask, but tell returns the API's FORBIDDEN", async () => {
      const { client } = await connect(endpoint(), keys.reader);
      try {
        const answer = await client.callTool({ name: 'ask', arguments: { query: 'plan(?c, ?t)' } });
        expect(answer.isError).toBeFalsy();
        const told = await client.callTool({
          name: 'tell',
          arguments: { fact: 'plan(acme, gold)' },
        });
        expect(told.isError).toBe(true);
        expect(text(told)).toMatch(/^FORBIDDEN: /);
        expect(told.structuredContent).toMatchObject({ error: { code: 'FORBIDDEN' } });
      } finally {
        await client.close();
      }
    });

    test('a writer key can tell, and the reader then sees the fact', async () => {
      const writer = await connect(endpoint(), keys.writer);
      const reader = await connect(endpoint(), keys.reader);
      try {
        const fact = `plan(acme${index}, enterprise)`;
        const told = await writer.client.callTool({ name: 'tell', arguments: { fact } });
        expect(told.isError).toBeFalsy();
        const answer = await reader.client.callTool({
          name: 'ask',
          arguments: { query: `plan(acme${index}, ?tier)` },
        });
        expect(answer.structuredContent).toMatchObject({ solutions: [{ tier: 'enterprise' }] });
      } finally {
        await writer.client.close();
        await reader.client.close();
      }
    });

    test('a key scoped to tenant t1 writes t1 and is refused t2', async () => {
      const { client } = await connect(endpoint(), keys.tenantWriter);
      try {
        const own = await client.callTool({
          name: 'tell',
          arguments: { fact: `scoped(${index})`, tenant: 't1' },
        });
        expect(own.isError).toBeFalsy();
        const other = await client.callTool({
          name: 'tell',
          arguments: { fact: `scoped(${index})`, tenant: 't2' },
        });
        expect(other.isError).toBe(true);
        expect(text(other)).toMatch(/^FORBIDDEN: /);
        const read = await client.callTool({
          name: 'ask',
          arguments: { query: 'scoped(?n)', tenant: 't2' },
        });
        expect(read.isError).toBe(true);
        expect(text(read)).toMatch(/^FORBIDDEN: /);
      } finally {
        await client.close();
      }
    });

    test('an access token from login works', async () => {
      const { client } = await connect(endpoint(), accessToken);
      try {
        const result = await client.callTool({ name: 'list_databases', arguments: {} });
        expect(result.isError).toBeFalsy();
      } finally {
        await client.close();
      }
    });

    test('no token or an invalid one: 401 with the resource metadata header', async () => {
      for (const authorization of [undefined, 'Bearer cairn_not_a_real_key', 'Bearer a.b.c']) {
        const response = await fetch(endpoint(), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(authorization === undefined ? {} : { authorization }),
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
        });
        expect(response.status).toBe(401);
        const challenge = response.headers.get('www-authenticate') ?? '';
        const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
        expect(metadataUrl).toMatch(/\/\.well-known\/oauth-protected-resource$/);
      }
    });

    test("a second credential cannot use the first one's session", async () => {
      const { client, transport } = await connect(endpoint(), keys.reader);
      try {
        const response = await fetch(endpoint(), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${keys.writer}`,
            'mcp-session-id': transport.sessionId ?? '',
            'mcp-protocol-version': '2025-11-25',
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 5,
            method: 'tools/call',
            params: { name: 'tell', arguments: { fact: 'hijack(attempt)' } },
          }),
        });
        expect(response.status).toBe(404);
      } finally {
        await client.close();
      }
    });
  },
);

test('the server serves RFC 9728 metadata for /mcp', async () => {
  const response = await fetch(new URL('/.well-known/oauth-protected-resource', server.url));
  expect(response.status).toBe(200);
  const metadata = (await response.json()) as { resource?: string };
  expect(metadata).toMatchObject({
    bearer_methods_supported: ['header'],
    authorization_servers: [],
  });
  expect(URL.canParse(metadata.resource ?? '')).toBe(true);
});

test('the metadata names PUBLIC_URL as the resource', async () => {
  const response = await fetch(new URL('/.well-known/oauth-protected-resource', server.url));
  expect(await response.json()).toMatchObject({ resource: PUBLIC_URL });
});

test('a JWT for another audience is refused by the bridge', async () => {
  const response = await fetch(foreignAudienceBridge.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${accessToken}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  expect(response.headers.get('www-authenticate')).toContain('another audience');
});
