// Throughput of the real server stack on a real socket, against bare node:http measured in the
// same run with the same client. Prints JSON. BENCH_SECONDS (default 3) per phase,
// BENCH_CONCURRENCY (default 16) requests in flight.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { createYoga } from 'graphql-yoga';
import { createApp } from '../src/app/create-app.js';
import { createPrincipalResolver } from '../src/auth/principal.js';
import { openDatabaseRegistry } from '../src/databases/registry.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { buildSchema } from '../src/schema/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function measure(
  request: (i: number) => Promise<Response>,
): Promise<{ requestsPerSecond: number; p50Ms: number; p99Ms: number }> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  let counter = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await request(counter++);
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 100) / 100;
  return {
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

const post = (url: string, query: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

const dir = await mkdtemp(join(tmpdir(), 'cairn-server-bench-'));
const sql = await openSqlStore({ dataDir: dir });
const registry = await openDatabaseRegistry({
  dataDir: dir,
  sql,
  masterKeys: createKeyRing(generateMasterKey()),
  snapshotEveryOperations: 10_000,
  events: { onWarning: () => {}, onSnapshotError: () => {}, onNotice: () => {} },
});
const app = createApp({
  options: {
    production: true,
    introspection: false,
    graphiql: false,
    maxBodyBytes: 1 << 20,
    requestTimeoutMs: 30_000,
  },
  registry,
  resolvePrincipal: createPrincipalResolver({ mode: 'disabled' }),
  // Logging at info is part of the real per-request cost; it goes to a sink here.
  logger: createLogger({
    level: 'info',
    format: 'json',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  }),
  metrics: createMetrics(),
  checkReady: () => sql.ping(),
  version: 'bench',
});

const bare = await listen((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"data":{"health":{"status":"ok"}}}');
});
const cairn = await listen(app.handler);
// Second baseline: yoga with the same schema and none of Cairn's plugins or listener.
const bareYoga = createYoga({
  schema: buildSchema(),
  logging: false,
  context: () => ({ registry, version: 'bench', startedAt: Date.now() }),
});
const yogaOnly = await listen(bareYoga as unknown as RequestListener);

const baseline = await measure(() => fetch(`${bare.url}/graphql`));
const yogaHealth = await measure(() => post(yogaOnly.url, '{ health { status } }'));
const health = await measure(() => post(cairn.url, '{ health { status } }'));
const tell = await measure((i) =>
  post(cairn.url, `mutation { tell(fact: "bench(n${i}, \\"value ${i}\\")") { assertedAt } }`),
);
await post(
  cairn.url,
  'mutation { teach(rule: "pair(?a, ?b) :- bench(?a, ?v), bench(?b, ?v)") { id } }',
);
const ask = await measure((i) =>
  post(cairn.url, `{ ask(query: "bench(n${i % 1000}, ?v)") { solutions } }`),
);

bare.server.close();
yogaOnly.server.close();
await app.close();
cairn.server.close();
await registry.close();
await sql.close();
await rm(dir, { recursive: true, force: true });

process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      baselineBareNodeHttp: baseline,
      baselineBareYogaHealth: yogaHealth,
      graphqlHealth: {
        ...health,
        ratioToBareYoga:
          Math.round((health.requestsPerSecond / yogaHealth.requestsPerSecond) * 1000) / 1000,
        ratioToBaseline:
          Math.round((health.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000,
      },
      tellDurable: {
        ...tell,
        ratioToHealth:
          Math.round((tell.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000,
      },
      askPointLookup: {
        ...ask,
        ratioToHealth: Math.round((ask.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000,
      },
    },
    null,
    2,
  )}\n`,
);
