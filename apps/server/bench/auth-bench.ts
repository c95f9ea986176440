// What managed-mode authentication costs a request: `{ me { id } }` answered with an API key
// and with an access token, against the same query with authentication disabled, in the same
// run, by the same load generator (bench/auth-load-client.ts, a child process, keep-alive
// HTTP). Cases alternate for BENCH_ROUNDS rounds (default 2) of BENCH_SECONDS (default 5) each;
// the mean requests/s per case is compared. Prints JSON. Target: ≤ 10 % cost (ratio ≥ 0.9).
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { type App, createApp } from '../src/app/create-app.js';
import { createPrincipalResolver } from '../src/auth/principal.js';
import { parseConfig } from '../src/config.js';
import { openDatabaseRegistry } from '../src/databases/registry.js';
import { openManagedMode } from '../src/identity/managed-mode.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import type { AuthLoadCase, AuthLoadResult } from './auth-load-client.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const LOAD_CLIENT = fileURLToPath(new URL('./auth-load-client.ts', import.meta.url));
const run = promisify(execFile);
const QUERY = JSON.stringify({ query: '{ me { id } }' });

async function load(url: string, headers: Record<string, string>): Promise<AuthLoadResult> {
  const input: AuthLoadCase = {
    url,
    headers,
    body: QUERY,
    seconds: SECONDS,
    connections: CONNECTIONS,
  };
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', LOAD_CLIENT, JSON.stringify(input)],
    { cwd: PACKAGE_DIR, timeout: (SECONDS + 60) * 1000 },
  );
  return JSON.parse(stdout) as AuthLoadResult;
}

async function listen(app: App): Promise<{ server: Server; url: string }> {
  const server = createServer(app.handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function post(url: string, body: unknown, credential?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (json.errors !== undefined) throw new Error(`setup failed: ${JSON.stringify(json.errors)}`);
  return json.data ?? {};
}

const sink = () =>
  createLogger({
    level: 'info',
    format: 'json',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
const appOptions = {
  production: true,
  introspection: false,
  graphiql: false,
  maxBodyBytes: 1 << 20,
  requestTimeoutMs: 30_000,
};

const dir = await mkdtemp(join(tmpdir(), 'cairn-auth-bench-'));
try {
  const masterKeys = createKeyRing(generateMasterKey());
  const sql = await openSqlStore({ dataDir: dir, masterKey: masterKeys });
  const registry = await openDatabaseRegistry({
    dataDir: dir,
    sql,
    masterKeys,
    snapshotEveryOperations: 10_000,
    events: { onWarning: () => {}, onSnapshotError: () => {}, onNotice: () => {} },
  });
  const common = {
    registry,
    metrics: createMetrics(),
    checkReady: () => sql.ping(),
    version: 'bench',
  };
  const disabledApp = createApp({
    ...common,
    options: appOptions,
    resolvePrincipal: createPrincipalResolver({ mode: 'disabled' }),
    logger: sink(),
  });
  const { config } = parseConfig({
    AUTH_ENABLED: 'true',
    PUBLIC_URL: 'https://cairn.bench',
    AUTH_FAILURE_LIMIT: '100000',
    DATA_DIR: dir,
  });
  const logger = sink();
  const managed = await openManagedMode(config, sql, logger);
  const managedApp = createApp({
    ...common,
    metrics: createMetrics(),
    options: appOptions,
    resolvePrincipal: managed.resolvePrincipal,
    authorizer: managed.authorizer,
    identity: managed.identity,
    logger,
  });
  const disabled = await listen(disabledApp);
  const managedServer = await listen(managedApp);

  const boot = await post(managedServer.url, {
    query:
      'mutation { bootstrap(username: "bench", password: "bench password 123", keyName: "bench") { apiKey } }',
  });
  const apiKey = (boot.bootstrap as { apiKey: string }).apiKey;
  const login = await post(managedServer.url, {
    query: 'mutation { login(username: "bench", password: "bench password 123") { accessToken } }',
  });
  const accessToken = (login.login as { accessToken: string }).accessToken;

  // In-process and sequential as well: no sockets, no client, cases interleaved in small
  // chunks, so the machine's load moves all three alike. This isolates what the resolver adds.
  const fetchOnce = async (target: App, credential?: string) => {
    const response = await target.yoga.fetch('http://bench.local/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
      },
      body: QUERY,
    });
    if (response.status !== 200) throw new Error(`in-process request: HTTP ${response.status}`);
    await response.text();
  };
  const inProcessCases = {
    disabled: () => fetchOnce(disabledApp),
    apiKey: () => fetchOnce(managedApp, apiKey),
    accessToken: () => fetchOnce(managedApp, accessToken),
  };
  const inProcessMs = { disabled: 0, apiKey: 0, accessToken: 0 };
  const CHUNK = 200;
  const CHUNKS = Number(process.env.BENCH_IN_PROCESS_CHUNKS ?? 20);
  for (let chunk = -1; chunk < CHUNKS; chunk++) {
    for (const name of Object.keys(inProcessCases) as Array<keyof typeof inProcessCases>) {
      const started = performance.now();
      for (let i = 0; i < CHUNK; i++) await inProcessCases[name]();
      // Chunk -1 warms every path (JIT, caches) and is not counted.
      if (chunk >= 0) inProcessMs[name] += performance.now() - started;
    }
  }
  const perRequestUs = (name: keyof typeof inProcessMs) =>
    Math.round(((inProcessMs[name] * 1000) / (CHUNK * CHUNKS)) * 10) / 10;
  const inProcess = {
    requests: CHUNK * CHUNKS,
    disabledMicrosecondsPerRequest: perRequestUs('disabled'),
    apiKeyMicrosecondsPerRequest: perRequestUs('apiKey'),
    accessTokenMicrosecondsPerRequest: perRequestUs('accessToken'),
    apiKeyRatioToDisabled: Math.round((inProcessMs.disabled / inProcessMs.apiKey) * 1000) / 1000,
    accessTokenRatioToDisabled:
      Math.round((inProcessMs.disabled / inProcessMs.accessToken) * 1000) / 1000,
  };

  const cases = {
    disabled: () => load(disabled.url, {}),
    apiKey: () => load(managedServer.url, { authorization: `Bearer ${apiKey}` }),
    accessToken: () => load(managedServer.url, { authorization: `Bearer ${accessToken}` }),
  };
  const results: Record<keyof typeof cases, AuthLoadResult[]> = {
    disabled: [],
    apiKey: [],
    accessToken: [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(cases) as Array<keyof typeof cases>) {
      results[name].push(await cases[name]());
    }
  }
  const mean = (runs: AuthLoadResult[]) =>
    Math.round(runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length);
  const baseline = mean(results.disabled);
  const summary = (name: keyof typeof cases) => ({
    requestsPerSecond: mean(results[name]),
    ratioToDisabled: Math.round((mean(results[name]) / baseline) * 1000) / 1000,
    runs: results[name],
  });
  const apiKeyCase = summary('apiKey');
  const tokenCase = summary('accessToken');

  disabled.server.close();
  managedServer.server.close();
  await disabledApp.close();
  await managedApp.close();
  await managed.identity.audit.flush();
  await registry.close();
  await sql.close();

  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'managed-mode authentication cost',
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        transport: 'HTTP keep-alive, load generator in a child process',
        query: '{ me { id } }',
        seconds: SECONDS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        inProcessSequential: inProcess,
        baselineDisabled: summary('disabled'),
        apiKey: apiKeyCase,
        accessToken: tokenCase,
        target: 'ratio ≥ 0.9 (≤ 10 % cost)',
        targetsMet: apiKeyCase.ratioToDisabled >= 0.9 && tokenCase.ratioToDisabled >= 0.9,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
