import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openSqlStore, type SqlStore } from '@cairn/storage';

export interface KeyedStore {
  readonly sql: SqlStore;
  close(): Promise<void>;
}

/** A real PGlite store with a master key (signing keys are sealed), one per test file. */
export async function openKeyedStore(): Promise<KeyedStore> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-sessions-test-'));
  const sql = await openSqlStore({ dataDir: dir, masterKey: createKeyRing(generateMasterKey()) });
  return {
    sql,
    async close() {
      await sql.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A clock tests move by hand: milliseconds since the epoch, starting at the real time. */
export function createFakeClock(): { now: () => number; advance(ms: number): void } {
  let at = Date.now();
  return {
    now: () => at,
    advance(ms) {
      at += ms;
    },
  };
}
