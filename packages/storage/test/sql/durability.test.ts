import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageError } from '../../src/errors.js';
import { type FileSync, kernelFileSync } from '../../src/sql/file-sync.js';
import { openSqlStore } from '../../src/sql/open-sql-store.js';
import type { SqlStore } from '../../src/sql/store.js';
import { uniqueName } from './support/backends.js';
import { createPgliteDataDir } from './support/pglite-template.js';
import { queryRows } from './support/query-rows.js';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const crashWriter = fileURLToPath(new URL('./support/crash-writer.ts', import.meta.url));

/** Wraps the real kernel calls: each one still reaches the disk, and the test sees it. */
function observedFileSync() {
  const calls: string[] = [];
  let gate: Promise<void> | undefined;
  let failWith: Error | undefined;
  const sync: FileSync = {
    syncFile: async (path) => {
      calls.push(path);
      if (gate !== undefined) await gate;
      if (failWith !== undefined) throw failWith;
      await kernelFileSync.syncFile(path);
    },
    syncDirectory: async (path) => {
      calls.push(`${path}/`);
      await kernelFileSync.syncDirectory(path);
    },
  };
  return {
    sync,
    calls,
    hold: () => {
      let release = () => {};
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    fail: (error: Error | undefined) => {
      failWith = error;
    },
  };
}

const isWalSegment = (path: string) =>
  basename(dirname(path)) === 'pg_wal' && /^[0-9A-F]{24}$/.test(basename(path));

describe('durable writes on PGlite', () => {
  let dataDir: string;
  let store: SqlStore;
  const observed = observedFileSync();

  beforeAll(async () => {
    dataDir = await createPgliteDataDir();
    store = await openSqlStore({ dataDir, fileSync: observed.sync });
  });
  afterAll(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('opening syncs the whole cluster, the base later WAL flushes build on', () => {
    expect(observed.calls.filter(isWalSegment).length).toBeGreaterThan(0);
    expect(observed.calls).toContain(join(dataDir, 'sql', 'global', 'pg_control'));
    expect(observed.calls).toContain(`${join(dataDir, 'sql', 'pg_wal')}/`);
  });

  it('a security-relevant write resolves only after the WAL segment holding it was fdatasynced', async () => {
    observed.calls.length = 0;
    const release = observed.hold();
    let settled = false;
    const creation = store.users.create({ username: uniqueName('durable'), passwordHash: 'h' });
    void creation.then(() => {
      settled = true;
    });
    while (!observed.calls.some(isWalSegment))
      await new Promise((resolve) => setImmediate(resolve));
    // The flush is under way and held: the caller must still be waiting.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await creation;
    expect(settled).toBe(true);
  });

  it('ordinary writes (audit, last-used time) do not pay for a flush', async () => {
    observed.calls.length = 0;
    await store.auditEvents.append({ action: 'probe', outcome: 'success' });
    expect(observed.calls).toEqual([]);
    await store.grants.grant({
      databaseId: (
        await store.databases.create({ name: uniqueName('d'), wrappedDataKey: 'w', kekId: 'k' })
      ).id,
      permission: 'read',
      role: 'reader',
    });
    expect(observed.calls.filter(isWalSegment).length).toBeGreaterThanOrEqual(2);
  });

  it('after a WAL segment switch, both segments and the pg_wal directory are synced', async () => {
    const segment = async () => {
      const rows = await queryRows(
        store.db,
        'select pg_walfile_name(pg_current_wal_insert_lsn()) as name',
      );
      return String((rows[0] as { name: string }).name).toUpperCase();
    };
    await store.users.create({ username: uniqueName('before-switch'), passwordHash: 'h' });
    const before = await segment();
    await queryRows(store.db, 'select pg_switch_wal()');
    observed.calls.length = 0;
    await store.users.create({ username: uniqueName('after-switch'), passwordHash: 'h' });
    const after = await segment();
    expect(after > before).toBe(true);
    const synced = observed.calls.filter(isWalSegment).map((path) => basename(path));
    expect(synced).toEqual(expect.arrayContaining([before, after]));
    expect(observed.calls).toContain(`${join(dataDir, 'sql', 'pg_wal')}/`);
    // The WAL range did this, not a full sync: no checkpoint happened.
    expect(observed.calls).not.toContain(join(dataDir, 'sql', 'global', 'pg_control'));
  });

  it('after a checkpoint (pg_control changed) the next flush syncs the whole cluster', async () => {
    await queryRows(store.db, 'checkpoint');
    observed.calls.length = 0;
    await store.users.create({ username: uniqueName('after-checkpoint'), passwordHash: 'h' });
    expect(observed.calls).toContain(join(dataDir, 'sql', 'global', 'pg_control'));
    expect(observed.calls.some((path) => path.includes(`${join(dataDir, 'sql', 'base')}/`))).toBe(
      true,
    );
    observed.calls.length = 0;
    await store.users.create({ username: uniqueName('no-checkpoint'), passwordHash: 'h' });
    expect(observed.calls.every(isWalSegment)).toBe(true);
  });

  it('a failed flush is not acknowledged: the caller gets DURABILITY_FAILED', async () => {
    observed.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    try {
      await expect(
        store.users.create({ username: uniqueName('eio'), passwordHash: 'h' }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'DURABILITY_FAILED'));
    } finally {
      observed.fail(undefined);
    }
  });
});

interface Acknowledged {
  users: string[];
  keys: string[];
  revoked: string[];
  tenants: string[];
}

function runUntilKilled(dataDir: string, round: number, acknowledged: Acknowledged): Promise<void> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@cairn/source', '--import', 'tsx', crashWriter, dataDir, String(round)],
    { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // Kill after a random number of acknowledged writes: anywhere in the write / flush cycle.
  const killAfter = 3 + Math.floor(Math.random() * 40);
  let seen = 0;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const [kind, name] = line.split(' ');
      if (name === undefined) return;
      if (kind === 'user') acknowledged.users.push(name);
      if (kind === 'key') acknowledged.keys.push(name);
      if (kind === 'revoked') acknowledged.revoked.push(name);
      if (kind === 'tenant') acknowledged.tenants.push(name);
      if (++seen === killAfter) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`crash writer exited on its own (${_code}): ${stderr}`));
    });
  });
}

describe('PGlite crash test (SIGKILL)', () => {
  it('every acknowledged security-relevant change survives repeated SIGKILLs', async () => {
    const dataDir = await createPgliteDataDir();
    const acknowledged: Acknowledged = { users: [], keys: [], revoked: [], tenants: [] };
    try {
      for (let round = 0; round < 3; round++) await runUntilKilled(dataDir, round, acknowledged);
      expect(acknowledged.users.length).toBeGreaterThanOrEqual(3);
      const store = await openSqlStore({ dataDir });
      try {
        for (const name of acknowledged.tenants)
          expect(await store.tenants.findByName(name)).toBeDefined();
        for (const username of acknowledged.users) {
          expect(await store.users.findByUsername(username), username).toBeDefined();
        }
        for (const keyHash of acknowledged.keys) {
          expect(await store.apiKeys.findByHash(keyHash), keyHash).toBeDefined();
        }
        for (const keyHash of acknowledged.revoked) {
          expect((await store.apiKeys.findByHash(keyHash))?.revokedAt, keyHash).toBeInstanceOf(
            Date,
          );
        }
      } finally {
        await store.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
