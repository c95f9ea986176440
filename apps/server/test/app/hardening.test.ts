import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseRegistry } from '../../src/databases/registry.js';
import { createTestApp, graphql, openTestStore, type TestStore } from '../support/test-server.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore({ knowledgeBase: { limits: { maxDerivedTuples: 5_000 } } });
});
afterAll(async () => store?.close());

const API_KEY = 'test-shared-key-0123456789';

describe('authentication (legacy API key)', () => {
  test('missing or wrong key: 401 UNAUTHENTICATED with WWW-Authenticate; right key in either header passes', async () => {
    const app = createTestApp(store, { auth: { mode: 'legacy', apiKey: API_KEY } });
    const missing = await graphql(app, '{ me { id } }');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await graphql(app, '{ me { id } }', {}, { 'x-api-key': `${API_KEY}x` });
    expect(wrong.status).toBe(401);
    const header = await graphql(app, '{ me { id kind } }', {}, { 'x-api-key': API_KEY });
    expect(header.body.data?.me).toEqual({ id: 'shared-api-key', kind: 'shared-api-key' });
    const bearer = await graphql(app, '{ me { id } }', {}, { authorization: `Bearer ${API_KEY}` });
    expect(bearer.status).toBe(200);
    // Health stays public for load balancers; metrics need the key.
    expect((await app.yoga.fetch('http://t/health')).status).toBe(200);
    expect((await app.yoga.fetch('http://t/metrics')).status).toBe(401);
    const metrics = await app.yoga.fetch('http://t/metrics', { headers: { 'x-api-key': API_KEY } });
    expect(await metrics.text()).toMatch(/cairn_auth_failures_total\{reason="missing"\} 2/);
  });

  test('more failures than the limit lock the client out with 429 and Retry-After', async () => {
    let clock = 1_000_000;
    const app = createTestApp(store, {
      auth: { mode: 'legacy', apiKey: API_KEY },
      authFailureLimit: 2,
      authLockoutSeconds: 30,
      now: () => clock,
    });
    for (let i = 0; i < 3; i++) {
      expect(
        (await graphql(app, '{ me { id } }', {}, { 'x-api-key': 'guess-guess-guess' })).status,
      ).toBe(401);
    }
    // Locked: even the right key is refused until the lockout ends.
    const locked = await graphql(app, '{ me { id } }', {}, { 'x-api-key': API_KEY });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    expect(locked.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    clock += 31_000;
    expect((await graphql(app, '{ me { id } }', {}, { 'x-api-key': API_KEY })).status).toBe(200);
  });

  test('disabled mode acts as the local user', async () => {
    const app = createTestApp(store);
    expect((await graphql(app, '{ me { id kind tenant } }')).body.data?.me).toEqual({
      id: 'local',
      kind: 'local',
      tenant: null,
    });
  });
});

describe('limits are checked before any resolver runs', () => {
  test('depth, aliases, tokens and cost', async () => {
    const app = createTestApp(store, {
      limits: { maxDepth: 3, maxAliases: 2, maxTokens: 60, maxCost: 50, maxDirectives: 3 },
    });
    const deep = await graphql(app, '{ facts { edges { node { args } } } }');
    expect(deep.body.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = await graphql(
      app,
      '{ a: health { status } b: health { status } c: health { status } }',
    );
    expect(aliases.body.errors?.[0]?.message).toMatch(/aliases/i);
    const tokens = await graphql(app, `{ ${'health { status } '.repeat(20)} }`);
    expect(tokens.body.errors?.[0]?.message).toMatch(/token/i);
    const directives = await graphql(
      app,
      '{ health @skip(if: false) @skip(if: false) @skip(if: false) @skip(if: false) { status } }',
    );
    expect(directives.body.errors?.[0]?.message).toMatch(/directive/i);
    for (const result of [deep, aliases, tokens, directives])
      expect(result.body.data ?? null).toBeNull();
  });

  test('a body over the limit is refused with 413 before it is parsed', async () => {
    const app = createTestApp(store, { maxBodyBytes: 2048 });
    const response = await app.yoga.fetch('http://t/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      body: JSON.stringify({ query: `{ health { status } } #${'x'.repeat(4900)}` }),
    });
    expect(response.status).toBe(413);
    expect(
      ((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]
        ?.extensions.code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a chunked body over the limit is cut off by the Node listener (real socket)', async () => {
    const app = createTestApp(store, { maxBodyBytes: 2048 });
    const server = createServer(app.handler).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
        req.end();
      });
      expect(status).toBe(413);
    } finally {
      server.close();
    }
  });
});

describe('HTTP behaviour', () => {
  test('mutations over GET are refused with 405; queries over GET work', async () => {
    const app = createTestApp(store);
    const mutation = await app.yoga.fetch(
      `http://t/graphql?query=${encodeURIComponent('mutation { tell(fact: "p(a)") { text } }')}`,
    );
    expect(mutation.status).toBe(405);
    const query = await app.yoga.fetch(
      `http://t/graphql?query=${encodeURIComponent('{ health { status } }')}`,
      {
        headers: { accept: 'application/graphql-response+json' },
      },
    );
    expect(query.status).toBe(200);
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'CSRF: a POST as %s is refused',
    async (type) => {
      const app = createTestApp(store);
      const response = await app.yoga.fetch('http://t/graphql', {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify({ query: 'mutation { tell(fact: "csrf(a)") { text } }' }),
      });
      expect(response.status).toBe(415);
      const asked = await graphql(app, '{ ask(query: "csrf(?x)") { count } }');
      expect(asked.body.data?.ask).toEqual({ count: 0 });
    },
  );

  test('batching is off', async () => {
    const app = createTestApp(store);
    const response = await app.yoga.fetch('http://t/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ health { status } }' },
        { query: '{ health { status } }' },
      ]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  test('X-Request-ID: a sane incoming id is echoed, anything else replaced, on every response', async () => {
    const app = createTestApp(store, { auth: { mode: 'legacy', apiKey: API_KEY } });
    const echoed = await app.yoga.fetch('http://t/health', {
      headers: { 'x-request-id': 'abc-123-def-456' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123-def-456');
    const replaced = await app.yoga.fetch('http://t/health', {
      headers: { 'x-request-id': 'evil\tvalue with spaces' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await graphql(app, '{ me { id } }');
    expect(denied.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('readiness reflects the SQL store', async () => {
    const ready = createTestApp(store);
    expect((await ready.yoga.fetch('http://t/health/ready')).status).toBe(200);
    const down = createTestApp(store, {
      checkReady: () => Promise.reject(new Error('connection refused to 10.0.0.5')),
    });
    const response = await down.yoga.fetch('http://t/health/ready');
    expect(response.status).toBe(503);
    expect(await response.text()).not.toMatch(/10\.0\.0\.5/);
  });
});

test('security headers on every response; HSTS only over HTTPS', async () => {
  const plain = await createTestApp(store).yoga.fetch('http://t/health');
  expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
  expect(plain.headers.get('strict-transport-security')).toBeNull();
  const https = await createTestApp(store, { https: true }).yoga.fetch('http://t/health');
  expect(https.headers.get('strict-transport-security')).toMatch(
    /^max-age=\d+; includeSubDomains$/,
  );
});

test('GraphiQL is served to browsers only when enabled', async () => {
  const browser = { headers: { accept: 'text/html' } };
  const on = await createTestApp(store, { graphiql: true }).yoga.fetch('http://t/graphql', browser);
  expect(on.status).toBe(200);
  expect(await on.text()).toMatch(/<title>Cairn<\/title>/);
  const off = await createTestApp(store, { graphiql: false }).yoga.fetch(
    'http://t/graphql',
    browser,
  );
  expect(await off.text()).not.toMatch(/<html/i);
});

test('a query past the engine budget is refused with BAD_USER_INPUT naming the limit', async () => {
  const app = createTestApp(store);
  const chain = Array.from({ length: 200 }, (_, i) => `edge(n${i}, n${i + 1})`);
  await graphql(
    app,
    'mutation($f: [String!]!) { tellMany(tenant: "budget", facts: $f) { count } }',
    { f: chain },
  );
  await graphql(
    app,
    'mutation { a: teach(rule: "reach(?x, ?y) :- edge(?x, ?y)") { id } b: teach(rule: "reach(?x, ?z) :- edge(?x, ?y), reach(?y, ?z)") { id } }',
  );
  const result = await graphql(
    app,
    '{ ask(tenant: "budget", query: "reach(?x, ?y)", limit: 1) { count } }',
  );
  expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.body.errors?.[0]?.message).toMatch(/maxDerivedTuples/);
});

describe('errors and logs', () => {
  test('unexpected errors are masked: no message, stack or SQL reaches the client', async () => {
    const broken: DatabaseRegistry = {
      ...store.registry,
      list: () => {
        throw new Error('SELECT wrapped_data_key FROM databases failed at /srv/cairn/x.ts:12');
      },
    };
    const app = createTestApp({ ...store, registry: broken });
    const result = await graphql(app, '{ databases { name } }');
    expect(result.body.errors?.[0]).toEqual({
      message: 'Unexpected error.',
      locations: [{ line: 1, column: 3 }],
      path: ['databases'],
      extensions: { code: 'INTERNAL' },
    });
    expect(JSON.stringify(result.body)).not.toMatch(/SELECT|\.ts:|stack/);
    expect(
      app.lines.some((line) => line.includes('"level":"error"') && line.includes('SELECT')),
    ).toBe(true);
  });

  test('introspection and field suggestions are off in production unless enabled', async () => {
    const production = createTestApp(store, { production: true, introspection: false });
    const introspection = await graphql(production, '{ __schema { types { name } } }');
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await graphql(production, '{ healht { status } }');
    expect(typo.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    const development = createTestApp(store, { introspection: true });
    expect((await graphql(development, '{ __schema { queryType { name } } }')).body.data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  test('fact contents and credentials never appear in info-level logs', async () => {
    const app = createTestApp(store, { auth: { mode: 'legacy', apiKey: API_KEY } });
    await graphql(
      app,
      'mutation { tell(fact: "secret_marker(zebra42)") { text } }',
      {},
      { 'x-api-key': API_KEY },
    );
    await graphql(
      app,
      '{ ask(query: "secret_marker(?x)") { count } }',
      {},
      { 'x-api-key': `${API_KEY}-wrong` },
    );
    const info = app.lines.filter((line) => !line.includes('"level":"debug"'));
    expect(info.length).toBeGreaterThan(0);
    expect(info.join('\n')).not.toMatch(/zebra42|secret_marker|test-shared-key/);
  });
});
