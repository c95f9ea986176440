import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyRing, generateMasterKey, type KeyRing } from '@cairn/crypto';
import { openDatabaseLog } from '../../src/index.js';
import type { StorageWarning } from '../../src/log/errors.js';
import type {
  DatabaseLog,
  LoggedOperation,
  OpenDatabaseLogOptions,
} from '../../src/log/operation-log.js';

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cairn-log-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function makeMasterKeys(): KeyRing {
  return createKeyRing(generateMasterKey());
}

export interface Opened {
  readonly log: DatabaseLog;
  readonly warnings: StorageWarning[];
}

export async function openLog(
  dir: string,
  masterKeys: KeyRing,
  overrides: Partial<OpenDatabaseLogOptions> = {},
): Promise<Opened> {
  const warnings: StorageWarning[] = [];
  const log = await openDatabaseLog({
    dir,
    databaseId: 'db-test',
    masterKeys,
    onWarning: (warning) => warnings.push(warning),
    ...overrides,
  });
  return { log, warnings };
}

export async function collect(
  iterable: AsyncIterable<LoggedOperation>,
): Promise<LoggedOperation[]> {
  const out: LoggedOperation[] = [];
  for await (const operation of iterable) out.push(operation);
  return out;
}

export function payloadOf(index: number, size = 24): Uint8Array {
  return Buffer.from(`op-${index}-`.padEnd(size, String.fromCharCode(97 + (index % 26))));
}

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** Every file of a directory, to restore it after a destructive test case. */
export async function captureDir(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(dir)) files.set(name, await readFile(join(dir, name)));
  return files;
}

export async function restoreDir(dir: string, files: Map<string, Buffer>): Promise<void> {
  for (const name of await readdir(dir))
    if (!files.has(name)) await rm(join(dir, name), { force: true });
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
}
