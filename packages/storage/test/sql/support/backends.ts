import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import type { OpenSqlStoreOptions } from '../../../src/sql/open-sql-store.js';
import { openSqlStore } from '../../../src/sql/open-sql-store.js';
import type { SqlStore } from '../../../src/sql/store.js';
import { createPgliteDataDir } from './pglite-template.js';

// The only place the SQL tests read the environment.
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

export type BackendName = 'pglite' | 'postgres';

export interface BackendTarget {
  /** Options that open (another handle on) the same database. */
  options: Omit<OpenSqlStoreOptions, 'masterKey' | 'onWarning' | 'fileSync'>;
  dispose(): Promise<void>;
}

/** A PostgreSQL database of its own on the TEST_DATABASE_URL server, dropped by dispose(). */
export async function createPostgresDatabase(adminUrl: string): Promise<BackendTarget> {
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    dispose: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function createBackendTarget(backend: BackendName): Promise<BackendTarget> {
  if (backend === 'postgres') {
    if (testDatabaseUrl === undefined) throw new Error('TEST_DATABASE_URL is not set');
    return createPostgresDatabase(testDatabaseUrl);
  }
  const dataDir = await createPgliteDataDir();
  return { options: { dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

export interface SharedStore {
  readonly backend: BackendName;
  readonly target: BackendTarget;
  readonly store: SqlStore;
}

let warned = false;

/**
 * drizzle's own pattern: one suite, run unchanged on PGlite and on PostgreSQL. The store is
 * shared by the tests of a file (opening one costs far more than a test), so tests use names
 * of their own (see uniqueName).
 */
export function describeOnBackends(
  title: string,
  suite: (shared: () => SharedStore) => void,
  extraOptions: () => Pick<OpenSqlStoreOptions, 'masterKey'> = () => ({}),
): void {
  for (const backend of ['pglite', 'postgres'] as const) {
    if (backend === 'postgres' && testDatabaseUrl === undefined) {
      if (!warned) {
        warned = true;
        console.warn(
          'SKIPPING the PostgreSQL run of the SQL store suite: TEST_DATABASE_URL is not set',
        );
      }
      describe.skip(`${title} [postgres: TEST_DATABASE_URL not set]`, () => {
        suite(() => {
          throw new Error('skipped');
        });
      });
      continue;
    }
    describe(`${title} [${backend}]`, () => {
      let shared: SharedStore | undefined;
      beforeAll(async () => {
        const target = await createBackendTarget(backend);
        const store = await openSqlStore({ ...target.options, ...extraOptions() });
        shared = { backend, target, store };
      });
      afterAll(async () => {
        await shared?.store.close();
        await shared?.target.dispose();
      });
      suite(() => {
        if (shared === undefined) throw new Error('store not opened');
        return shared;
      });
    });
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
