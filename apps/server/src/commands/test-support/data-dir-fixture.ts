import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey, type KeyRing, type SymmetricKey } from '@cairn/crypto';
import { openDatabaseLog } from '@cairn/storage';

export interface Fixture {
  readonly dataDir: string;
  readonly key: SymmetricKey;
  readonly keys: KeyRing;
  remove(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-ops-'));
  const key = generateMasterKey();
  return {
    dataDir,
    key,
    keys: createKeyRing(key),
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** A database log with `count` operations (and a snapshot half-way when asked). */
export async function writeDatabase(
  dataDir: string,
  id: string,
  keys: KeyRing,
  payloads: readonly string[],
  snapshotAfter?: number,
): Promise<string> {
  const dir = join(dataDir, 'databases', id);
  const log = await openDatabaseLog({ dir, databaseId: id, masterKeys: keys, onWarning: () => {} });
  try {
    for (const [index, payload] of payloads.entries()) {
      await log.append(Buffer.from(payload));
      if (snapshotAfter === index + 1) {
        await log.writeSnapshot(log.lastSequence, [Buffer.from(`state-after-${payload}`)]);
      }
    }
  } finally {
    await log.close();
  }
  return dir;
}

/** Every operation payload a log recovers (after its snapshot), as text. */
export async function readDatabase(dir: string, id: string, keys: KeyRing): Promise<string[]> {
  const log = await openDatabaseLog({ dir, databaseId: id, masterKeys: keys, onWarning: () => {} });
  try {
    const { operations } = await log.recover();
    const out: string[] = [];
    for await (const operation of operations) out.push(Buffer.from(operation.payload).toString());
    return out;
  } finally {
    await log.close();
  }
}
