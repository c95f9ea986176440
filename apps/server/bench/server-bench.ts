// `ask` and `tell` through the whole Cairn stack over HTTPS, against a bare graphql-yoga server
// answering a trivial field over HTTPS in the same run, both loaded by the same generator: 50
// keep-alive connections from a separate child process (bench/load-client.ts), so the client
// never shares the servers' event loop. Prints JSON. BENCH_SECONDS (default 5) per case,
// BENCH_CONNECTIONS (default 50), BENCH_FACTS (default 10,000) facts behind the point lookup.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, createServer as createBareHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { createSchema, createYoga } from 'graphql-yoga';
import { createApp } from '../src/app/create-app.js';
import { createPrincipalResolver } from '../src/auth/principal.js';
import { createDevCertificate } from '../src/commands/certs.js';
import { openDatabaseRegistry } from '../src/databases/registry.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createHttpsServer } from '../src/tls/index.js';
import { postJson } from './https-post.js';
import type { LoadCase, LoadResult } from './load-client.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FACTS = Number(process.env.BENCH_FACTS ?? 10_000);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const run = promisify(execFile);

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function load(url: string, ca: string, template: string, keys = 1): Promise<LoadResult> {
  const input: LoadCase = { url, ca, template, keys, seconds: SECONDS, connections: CONNECTIONS };
  // Asynchronous on purpose: the servers live in this process and must keep answering.
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', LOAD_CLIENT, JSON.stringify(input)],
    { cwd: PACKAGE_DIR, timeout: (SECONDS + 60) * 1000 },
  );
  return JSON.parse(stdout) as LoadResult;
}

const graphql = (query: string, variables?: Record<string, string>) =>
  JSON.stringify({ query, variables });
// The text varies through variables, as a real client sends it: the query document stays the
// same, so yoga's parse/validation cache hits, as it does for the bare server's `{ ok }`.
const ASK_BODY = graphql('query Ask($q: String!) { ask(query: $q) { solutions } }', {
  q: 'bench(n%k%, ?v)',
});
const TELL_BODY = graphql('mutation Tell($f: String!) { tell(fact: $f) { assertedAt } }', {
  f: 'load(t%i%, "told %i%")',
});
const ratio = (a: LoadResult, b: LoadResult) =>
  Math.round((a.requestsPerSecond / b.requestsPerSecond) * 1000) / 1000;

const dir = await mkdtemp(join(tmpdir(), 'cairn-server-bench-'));
try {
  const made = await createDevCertificate({ outDir: join(dir, 'tls') });
  const ca = await readFile(made.certPath, 'utf8');
  const pfx = await readFile(made.keystorePath);

  const sql = await openSqlStore({ dataDir: join(dir, 'data') });
  const registry = await openDatabaseRegistry({
    dataDir: join(dir, 'data'),
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
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  // The listener `cairn serve` uses: intermediate ciphers, HSTS, the same PKCS#12 keystore.
  const cairnTls = createHttpsServer(
    { keystorePath: made.keystorePath, keystorePassword: made.password, minVersion: 'TLSv1.2' },
    app.handler,
    quiet,
  );
  const cairnUrl = await listen(cairnTls.server);

  // The baseline: graphql-yoga's own Node adapter over node:https, one trivial field.
  const bareYoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean! }',
      resolvers: { Query: { ok: () => true } },
    }),
    logging: false,
  });
  const bareServer = createBareHttpsServer({ pfx, passphrase: made.password }, bareYoga);
  const bareUrl = await listen(bareServer);

  // Seed the point-lookup data through the API, as a client would.
  const seedAgent = new Agent({ keepAlive: true, ca });
  const batch = 500;
  for (let from = 0; from < FACTS; from += batch) {
    const facts = Array.from(
      { length: Math.min(batch, FACTS - from) },
      (_, j) => `bench(n${from + j}, "value ${from + j}")`,
    );
    const told = await postJson(
      seedAgent,
      new URL(cairnUrl),
      JSON.stringify({
        query: 'mutation ($facts: [String!]!) { tellMany(facts: $facts) { count } }',
        variables: { facts },
      }),
    );
    if (told.status !== 200 || told.body.includes('"errors"')) {
      throw new Error(`seeding failed: HTTP ${told.status} ${told.body.slice(0, 300)}`);
    }
  }

  const bare = await load(bareUrl, ca, graphql('{ ok }'));
  const health = await load(cairnUrl, ca, graphql('{ health { status } }'));
  const ask = await load(cairnUrl, ca, ASK_BODY, FACTS);
  const tell = await load(cairnUrl, ca, TELL_BODY);
  // A rule over the same predicate that the lookup does not use: shows what rules cost `ask`.
  const taught = await postJson(
    seedAgent,
    new URL(cairnUrl),
    graphql('mutation { teach(rule: "pair(?a, ?b) :- bench(?a, ?v), bench(?b, ?v)") { id } }'),
  );
  if (taught.body.includes('"errors"')) throw new Error(`teach failed: ${taught.body}`);
  seedAgent.destroy();
  const askWithRule = await load(cairnUrl, ca, ASK_BODY, FACTS);
  bareServer.close();
  cairnTls.close();
  cairnTls.server.close();
  await app.close();
  await registry.close();
  await sql.close();

  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        transport: 'HTTPS (TLS 1.2+, RSA-2048 dev certificate), keep-alive',
        loadGenerator: 'separate child process, one https.Agent, one loop per connection',
        seconds: SECONDS,
        connections: CONNECTIONS,
        facts: FACTS,
        baselineBareYoga: bare,
        cairnHealth: { ...health, ratioToBareYoga: ratio(health, bare) },
        askPointLookup: { ...ask, ratioToBareYoga: ratio(ask, bare), target: 0.6 },
        askPointLookupWithUnrelatedRule: {
          ...askWithRule,
          ratioToBareYoga: ratio(askWithRule, bare),
        },
        tellDurable: { ...tell, ratioToBareYoga: ratio(tell, bare), target: 0.4 },
        targetsMet: ratio(ask, bare) >= 0.6 && ratio(tell, bare) >= 0.4,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
