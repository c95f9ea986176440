import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { type App, createApp } from '../../../src/app/create-app.js';
import { type Environment, parseConfig } from '../../../src/config.js';
import { openDatabaseRegistry } from '../../../src/databases/registry.js';
import type { Identity } from '../../../src/identity/identity.js';
import { openManagedMode } from '../../../src/identity/managed-mode.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import {
  createCapturedLogger,
  type GraphqlResult,
  graphql,
  type TestStore,
} from '../../support/test-server.js';

/**
 * One real PGlite store (sealed with a master key: signing keys live in it) and registry.
 * Creating PGlite costs seconds: share one per file.
 */
export async function openManagedTestStore(): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-accounts-test-'));
  const masterKeys = createKeyRing(generateMasterKey());
  const sql = await openSqlStore({ dataDir: dir, masterKey: masterKeys });
  const registry = await openDatabaseRegistry({
    dataDir: dir,
    sql,
    masterKeys,
    snapshotEveryOperations: 1000,
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

/** A settable clock: caches, lockout and token checks all read it. */
export interface FakeClock {
  (): number;
  advance(ms: number): void;
}

export function createFakeClock(start = Date.now()): FakeClock {
  let current = start;
  return Object.assign(() => current, {
    advance: (ms: number) => {
      current += ms;
    },
  });
}

export interface ManagedTestApp extends App {
  readonly identity: Identity;
  readonly lines: string[];
  /** Runs one operation; `credential` goes in Authorization: Bearer. */
  run(
    query: string,
    variables?: Record<string, unknown>,
    credential?: string,
  ): Promise<GraphqlResult>;
}

/** The real managed-mode wiring (config → openManagedMode → createApp) over a test store. */
export async function createManagedTestApp(
  store: TestStore,
  env: Environment = {},
  now?: () => number,
): Promise<ManagedTestApp> {
  const { config } = parseConfig({
    AUTH_ENABLED: 'true',
    PUBLIC_URL: 'https://cairn.test',
    DATA_DIR: store.dir,
    ...env,
  });
  const { logger, lines } = createCapturedLogger();
  const managed = await openManagedMode(config, store.sql, logger, now);
  const app = createApp({
    options: {
      production: false,
      introspection: true,
      graphiql: false,
      maxBodyBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
    },
    registry: store.registry,
    resolvePrincipal: managed.resolvePrincipal,
    authorizer: managed.authorizer,
    identity: managed.identity,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    checkReady: () => store.sql.ping(),
    version: '0.0.0-test',
    ...(now === undefined ? {} : { now }),
  });
  return Object.assign(app, {
    identity: managed.identity,
    lines,
    run: (query: string, variables: Record<string, unknown> = {}, credential?: string) =>
      graphql(
        app,
        query,
        variables,
        credential === undefined ? {} : { authorization: `Bearer ${credential}` },
      ),
  });
}

export const BOOTSTRAP = `mutation ($username: String!, $password: String!, $keyName: String!) {
  bootstrap(username: $username, password: $password, keyName: $keyName) {
    apiKey
    key { id name role databases tenants ownerUserId }
  }
}`;

export const ME = '{ me { id name kind tenant roles superuser } }';

export const CREATE_API_KEY = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey key { id name role databases tenants expiresAt } }
}`;

export const CREATE_USER = `mutation ($input: CreateUserInput!) {
  createUser(input: $input) { id username isActive isSuperuser memberships { tenant role } }
}`;

export const UPDATE_USER = `mutation ($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id isActive isSuperuser memberships { tenant role } }
}`;

export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Bootstraps the store and returns the first admin's API key and user id. */
export async function bootstrapAdmin(
  app: ManagedTestApp,
): Promise<{ apiKey: string; userId: string }> {
  const result = await app.run(BOOTSTRAP, {
    username: 'admin',
    password: ADMIN_PASSWORD,
    keyName: 'first key',
  });
  const issued = result.body.data?.bootstrap as
    | { apiKey: string; key: { ownerUserId: string } }
    | undefined;
  if (issued === undefined) throw new Error(`bootstrap failed: ${JSON.stringify(result.body)}`);
  return { apiKey: issued.apiKey, userId: issued.key.ownerUserId };
}
