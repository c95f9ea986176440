import { spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isStorageError, type StorageError } from '../../src/errors.js';
import { openSqlStore } from '../../src/sql/open-sql-store.js';
import {
  createBackendTarget,
  describeOnBackends,
  testDatabaseUrl,
  uniqueName,
} from './support/backends.js';
import { createPgliteDataDir } from './support/pglite-template.js';
import { queryRows } from './support/query-rows.js';

const countMigrations = 'select count(*)::int as n from drizzle.__drizzle_migrations';

const password = 'Pa55-very-secret-word';

async function openError(databaseUrl: string): Promise<StorageError> {
  try {
    const store = await openSqlStore({ databaseUrl });
    await store.close();
  } catch (error) {
    if (isStorageError(error)) return error;
    throw error;
  }
  throw new Error(`opening ${databaseUrl} unexpectedly succeeded`);
}

describeOnBackends('openSqlStore', (shared) => {
  it('answers ping, runs transactions and rolls them back on error', async () => {
    const { store } = shared();
    await expect(store.ping()).resolves.toBeUndefined();
    const username = uniqueName('tx');
    await expect(
      store.transaction(async (tx) => {
        await tx.users.create({ username, passwordHash: 'h' });
        expect(await tx.users.findByUsername(username)).toBeDefined();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.users.findByUsername(username)).toBeUndefined();
    const committed = await store.durably(async (tx) => {
      const user = await tx.users.create({ username, passwordHash: 'h' });
      const tenant = await tx.tenants.create(uniqueName('t'));
      await tx.tenants.setMembership(user.id, tenant.id, 'admin');
      return user;
    });
    expect(await store.tenants.membershipsOfUser(committed.id)).toHaveLength(1);
  });

  it('opening the same database again finds the schema migrated and the data intact', async () => {
    const { store, target } = shared();
    const username = uniqueName('persist');
    await store.users.create({ username, passwordHash: 'h' });
    if (shared().backend === 'pglite') return; // PGlite allows one opener: covered below.
    const second = await openSqlStore(target.options);
    try {
      expect(await second.users.findByUsername(username)).toBeDefined();
    } finally {
      await second.close();
    }
  });
});

describe('openSqlStore on PGlite', () => {
  it('re-opening a directory applies no migration twice and keeps the data', async () => {
    const dataDir = await createPgliteDataDir();
    try {
      const username = uniqueName('again');
      const first = await openSqlStore({ dataDir });
      await first.users.create({ username, passwordHash: 'h' });
      // Two PostgreSQL instances on one cluster corrupt it: the second opener is refused.
      await expect(openSqlStore({ dataDir })).rejects.toSatisfy((error) =>
        isStorageError(error, 'STORE_LOCKED'),
      );
      await first.close();
      // A lock left by a process that died (crash, SIGKILL) is taken over.
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
      await writeFile(join(dataDir, 'sql.lock'), `${deadPid}\n`);
      await expect(first.ping()).rejects.toSatisfy((error) =>
        isStorageError(error, 'STORE_CLOSED'),
      );
      const warnings: string[] = [];
      const second = await openSqlStore({
        dataDir,
        onWarning: (message) => warnings.push(message),
      });
      try {
        expect(warnings).toEqual([expect.stringMatching(/without a master key/)]);
        expect(await second.users.findByUsername(username)).toBeDefined();
        expect(await queryRows(second.db, countMigrations)).toEqual([{ n: 1 }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('needs a data directory or a URL', async () => {
    await expect(openSqlStore({})).rejects.toSatisfy((error) =>
      isStorageError(error, 'INVALID_INPUT'),
    );
  });
});

describe('openSqlStore with a bad PostgreSQL URL', () => {
  it('refuses malformed URLs and other schemes before connecting', async () => {
    for (const url of [
      'not a url',
      'mysql://u:p@localhost/db',
      `postgres://u:${password}@/db`,
      `postgres://u:${password}@localhost:5432/`,
    ]) {
      const error = await openError(url);
      expect(error.code).toBe('INVALID_DATABASE_URL');
      expect(error.message).toMatch(/DATABASE_URL/);
      expect(inspect(error, { depth: 10 })).not.toContain(password);
    }
  });

  it('names an unreachable server clearly and never shows the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await openError(`postgres://cairn:${password}@127.0.0.1:1/cairn`);
    expect(error.code).toBe('DATABASE_UNREACHABLE');
    expect(error.message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(inspect(error, { depth: 10 })).not.toContain(password);
  });
});

describe.skipIf(testDatabaseUrl === undefined)('openSqlStore on a real PostgreSQL server', () => {
  it('wrong credentials give DATABASE_AUTH_FAILED without the password', async () => {
    const url = new URL(testDatabaseUrl ?? '');
    url.password = password;
    const error = await openError(url.toString());
    expect(error.code).toBe('DATABASE_AUTH_FAILED');
    expect(error.message).toMatch(/Check the user, password and database name/);
    expect(inspect(error, { depth: 10 })).not.toContain(password);
    const unknownDatabase = new URL(testDatabaseUrl ?? '');
    unknownDatabase.pathname = `/${uniqueName('missing').replace('-', '_')}`;
    expect((await openError(unknownDatabase.toString())).code).toBe('DATABASE_AUTH_FAILED');
  });

  it('concurrent openers of a fresh database migrate exactly once', async () => {
    const target = await createBackendTarget('postgres');
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openSqlStore(target.options)),
      );
      try {
        const [first] = stores;
        if (first === undefined) throw new Error('no store');
        expect(await queryRows(first.db, countMigrations)).toEqual([{ n: 1 }]);
        const user = await stores[1]?.users.create({
          username: uniqueName('shared'),
          passwordHash: 'h',
        });
        expect(await stores[3]?.users.findById(user?.id ?? '')).toBeDefined();
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    } finally {
      await target.dispose();
    }
  });
});
