import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createKeyRing, generateMasterKey, type KeyRing } from '@cairn/crypto';
import type { KnowledgeBaseOptions } from '@cairn/logic';
import { openSqlStore, type SqlStore } from '@cairn/storage';
import { type App, type AppOptions, createApp } from '../../src/app/create-app.js';
import { createPrincipalResolver } from '../../src/auth/principal.js';
import type { AuthSettings } from '../../src/config.js';
import { type DatabaseRegistry, openDatabaseRegistry } from '../../src/databases/registry.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';

/** Log lines captured in memory, so tests can assert what is (not) logged. */
export function createCapturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', format: 'json', destination }), lines };
}

export interface TestStore {
  readonly dir: string;
  readonly sql: SqlStore;
  readonly masterKeys: KeyRing;
  readonly registry: DatabaseRegistry;
  close(): Promise<void>;
}

/** One real PGlite store and registry per test file (creating PGlite costs seconds). */
export async function openTestStore(
  options: { snapshotEveryOperations?: number; knowledgeBase?: KnowledgeBaseOptions } = {},
): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-server-test-'));
  const sql = await openSqlStore({ dataDir: dir });
  const masterKeys = createKeyRing(generateMasterKey());
  const registry = await openDatabaseRegistry({
    dataDir: dir,
    sql,
    masterKeys,
    snapshotEveryOperations: options.snapshotEveryOperations ?? 1000,
    ...(options.knowledgeBase ? { knowledgeBase: options.knowledgeBase } : {}),
    events: { onWarning: () => {}, onSnapshotError: () => {}, onNotice: () => {} },
  });
  return {
    dir,
    sql,
    masterKeys,
    registry,
    async close() {
      await registry.close();
      await sql.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestAppOptions extends Partial<AppOptions> {
  readonly auth?: AuthSettings;
  readonly checkReady?: () => Promise<void>;
  readonly now?: () => number;
}

export function createTestApp(
  store: TestStore,
  options: TestAppOptions = {},
): App & { lines: string[] } {
  const { logger, lines } = createCapturedLogger();
  const app = createApp({
    options: {
      production: options.production ?? false,
      introspection: options.introspection ?? true,
      graphiql: options.graphiql ?? false,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      https: options.https ?? false,
      ...(options.authFailureLimit ? { authFailureLimit: options.authFailureLimit } : {}),
      ...(options.authLockoutSeconds ? { authLockoutSeconds: options.authLockoutSeconds } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    },
    registry: store.registry,
    resolvePrincipal: createPrincipalResolver(options.auth ?? { mode: 'disabled' }),
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    checkReady: options.checkReady ?? (() => store.sql.ping()),
    version: '0.0.0-test',
    ...(options.now ? { now: options.now } : {}),
  });
  return Object.assign(app, { lines });
}

export interface GraphqlResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** POSTs one GraphQL operation through `yoga.fetch` (no port). */
export async function graphql(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphqlResult> {
  const response = await app.yoga.fetch('http://cairn.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphqlResult['body'],
  };
}
