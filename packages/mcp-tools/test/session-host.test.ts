import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, test } from 'vitest';
import { createCairnMcpServer, createSessionHost, type SessionHost } from '../src/index.js';
import { createRecordingClient } from './support/recording-client.js';

const ENDPOINT = 'http://127.0.0.1:9301/mcp';

function createHost(
  options: { maxSessions?: number; idleTimeoutMs?: number; now?: () => number } = {},
) {
  const seenTokens: string[] = [];
  const host = createSessionHost({
    ...options,
    createServer: () =>
      createCairnMcpServer({
        version: '0',
        clientFor: (extra) => {
          seenTokens.push(extra.authInfo?.token ?? '(none)');
          return createRecordingClient(() => ({
            solutions: [],
            count: 0,
            truncated: false,
            proofs: null,
          })).client;
        },
      }),
  });
  return { host, seenTokens };
}

/** The SDK's real client, its HTTP requests answered by the host in-process as `credential`. */
function clientAs(host: SessionHost, credential: string, sessionId?: string) {
  const transport = new StreamableHTTPClientTransport(new URL(ENDPOINT), {
    ...(sessionId === undefined ? {} : { sessionId }),
    fetch: async (url, init) =>
      host.handle(new Request(url, init), {
        credential,
        authInfo: { token: credential, clientId: 'test', scopes: [] },
      }),
  });
  return { client: new Client({ name: 'test', version: '0' }), transport };
}

let hosts: SessionHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  hosts = [];
});

describe('createSessionHost', () => {
  test('a session opened by a credential serves that credential, each call with its own authInfo', async () => {
    const { host, seenTokens } = createHost();
    hosts.push(host);
    const { client, transport } = clientAs(host, 'key-one');
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.size).toBe(1);
    const result = await client.callTool({ name: 'ask', arguments: { query: 'p(?x)' } });
    expect(result.isError).toBeFalsy();
    expect(seenTokens).toEqual(['key-one']);
    await client.close();
  });

  test("a second credential cannot use the first one's session", async () => {
    const { host, seenTokens } = createHost();
    hosts.push(host);
    const first = clientAs(host, 'key-one');
    await first.client.connect(first.transport);
    const sessionId = first.transport.sessionId;
    expect(sessionId).toBeDefined();

    const response = await host.handle(
      new Request(ENDPOINT, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId ?? '',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'tools/call',
          params: { name: 'ask', arguments: { query: 'p(?x)' } },
        }),
      }),
      { credential: 'key-two', authInfo: { token: 'key-two', clientId: 'test', scopes: [] } },
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: 'Session not found: initialize a new session' },
    });
    expect(seenTokens).toEqual([]);
    // The session still belongs to its opener.
    await expect(
      first.client.callTool({ name: 'ask', arguments: { query: 'p(?x)' } }),
    ).resolves.toBeDefined();
    expect(seenTokens).toEqual(['key-one']);
    await first.client.close();
  });

  test('an unknown session id is answered 404', async () => {
    const { host } = createHost();
    hosts.push(host);
    const response = await host.handle(
      new Request(ENDPOINT, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': 'made-up',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }),
      { credential: 'key-one', authInfo: { token: 'key-one', clientId: 'test', scopes: [] } },
    );
    expect(response.status).toBe(404);
  });

  test('a request without a session that is not initialize keeps nothing', async () => {
    const { host } = createHost();
    hosts.push(host);
    const response = await host.handle(
      new Request(ENDPOINT, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }),
      { credential: 'key-one', authInfo: { token: 'key-one', clientId: 'test', scopes: [] } },
    );
    expect(response.status).toBe(400);
    expect(host.size).toBe(0);
  });

  test('a body with Content-Length is parsed by the host; bad or oversized ones get the transport answers', async () => {
    const { host, seenTokens } = createHost();
    hosts.push(host);
    const { client, transport } = clientAs(host, 'key-one');
    await client.connect(transport);
    const post = (body: string, contentLength = String(Buffer.byteLength(body))) =>
      host.handle(
        new Request(ENDPOINT, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': contentLength,
            accept: 'application/json, text/event-stream',
            'mcp-session-id': transport.sessionId ?? '',
            'mcp-protocol-version': '2025-11-25',
          },
          body,
        }),
        { credential: 'key-one', authInfo: { token: 'key-one', clientId: 'test', scopes: [] } },
      );
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 9,
      method: 'tools/call',
      params: { name: 'ask', arguments: { query: 'p(?x)' } },
    });
    const answered = await post(call);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({
      id: 9,
      result: { structuredContent: { count: 0 } },
    });
    expect(seenTokens).toEqual(['key-one']);

    const invalid = await post('{"jsonrpc": "2.0", ');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: -32700 } });

    const notJsonRpc = await post('{"hello": 1}');
    expect(notJsonRpc.status).toBe(400);
    expect(await notJsonRpc.json()).toMatchObject({ error: { code: -32700 } });

    // Declared over the transport's 4 MiB limit: refused unread, as the transport does.
    const tooLarge = await post(call, String(5 * 1024 * 1024));
    expect(tooLarge.status).toBe(413);
    expect(seenTokens).toEqual(['key-one']);
    await client.close();
  });

  test('beyond maxSessions the least recently used session is closed', async () => {
    const { host } = createHost({ maxSessions: 1 });
    hosts.push(host);
    const first = clientAs(host, 'key-one');
    await first.client.connect(first.transport);
    const second = clientAs(host, 'key-two');
    await second.client.connect(second.transport);
    expect(host.size).toBe(1);
    await expect(first.client.listTools()).rejects.toThrow(/404|Session not found/);
    await expect(second.client.listTools()).resolves.toBeDefined();
    await second.client.close();
  });

  test('a session idle longer than idleTimeoutMs is closed', async () => {
    let clock = 1_000_000;
    const { host } = createHost({ idleTimeoutMs: 60_000, now: () => clock });
    hosts.push(host);
    const { client, transport } = clientAs(host, 'key-one');
    await client.connect(transport);
    clock += 30_000;
    host.closeIdleSessions();
    await expect(client.listTools()).resolves.toBeDefined();
    clock += 60_001;
    host.closeIdleSessions();
    expect(host.size).toBe(0);
    await expect(client.listTools()).rejects.toThrow(/404|Session not found/);
  });
});
