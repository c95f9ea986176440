import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createKeyRing,
  formatKey,
  generateMasterKey,
  parseMasterKey,
  type SymmetricKey,
} from '@cairn/crypto';
import {
  isLogError,
  isStorageError,
  openDatabaseLog,
  openSqlStore,
  sqlSchema,
} from '@cairn/storage';
import { CliError } from './cli-error.js';
import {
  assertDataDir,
  type DataDirSettings,
  hasEmbeddedSqlStore,
  listDatabaseDirs,
  readCurrentWrappedKey,
  resolveMasterKeys,
} from './data-dir.js';
import { type Progress, silentProgress } from './progress.js';

export const NEXT_MASTER_KEY_FILE = 'master.key.next';

export interface RotateMasterKeyOptions {
  /** File holding the new key (base64 or hex); absent = generate one and save it first. */
  readonly newKeyFile?: string;
  readonly progress?: Progress;
}

export interface RotateOutcome {
  readonly newKeyId: string;
  readonly databases: number;
  readonly sqlRows: number;
  readonly secrets: number;
  readonly signingKeys: number;
  /** The `.env` lines to set next. */
  readonly envLines: readonly string[];
  readonly lines: readonly string[];
}

async function readNewKey(path: string): Promise<SymmetricKey> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (cause) {
    throw new CliError(
      'usage',
      `--new-key-file ${path} cannot be read: give a file holding a key from \`cairn keygen\``,
      { cause },
    );
  }
  try {
    return parseMasterKey(text);
  } catch (cause) {
    throw new CliError('usage', `--new-key-file ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Saves a generated key before any data key is re-wrapped under it: a crash half-way must not
 * leave data wrapped by a key that exists nowhere.
 */
async function generateAndSaveKey(dataDir: string): Promise<{ key: SymmetricKey; path: string }> {
  const path = join(dataDir, NEXT_MASTER_KEY_FILE);
  const key = generateMasterKey();
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(
        'usage',
        `${path} exists: an earlier rotation did not finish; resume it with --new-key-file ${path}`,
      );
    }
    throw error;
  }
  try {
    await handle.writeFile(`${formatKey(key, 'base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, path };
}

function stopServerHint(error: unknown): CliError | undefined {
  if (
    (isLogError(error) && error.code === 'LOG_LOCKED') ||
    (isStorageError(error) && error.code === 'STORE_LOCKED')
  ) {
    return new CliError(
      'failure',
      `${(error as Error).message.split('\n')[0]} — stop the server before rotating the master key`,
      {
        cause: error,
      },
    );
  }
  return undefined;
}

/**
 * Re-wraps every database's data keys (keys.json) and their copies in the SQL `databases` rows
 * under a new master key, and re-seals the SQL store's secrets; no WAL or snapshot is
 * rewritten. Idempotent: the old and the new key both open what they wrapped, so an
 * interrupted run is finished by running it again with the same new key.
 */
export async function rotateMasterKey(
  settings: DataDirSettings,
  options: RotateMasterKeyOptions = {},
): Promise<RotateOutcome> {
  const progress = options.progress ?? silentProgress;
  await assertDataDir(settings.dataDir);
  const current = await resolveMasterKeys(settings);
  const fresh =
    options.newKeyFile === undefined
      ? await generateAndSaveKey(settings.dataDir)
      : { key: await readNewKey(options.newKeyFile), path: options.newKeyFile };
  const newKey = fresh.key;
  if (current.keys.keys.length === 1 && current.keys.primary.id === newKey.id) {
    throw new CliError(
      'usage',
      'the new master key is the current one: generate a new key with `cairn keygen`',
    );
  }
  const ring = createKeyRing(newKey, current.keys.keys);
  const databases = await listDatabaseDirs(settings.dataDir);
  const steps = databases.length + 1;
  try {
    for (const [index, database] of databases.entries()) {
      progress.step(index + 1, steps, `re-wrapping ${database.id}`);
      const log = await openDatabaseLog({
        dir: database.dir,
        databaseId: database.id,
        masterKeys: ring,
        onWarning: () => {},
      });
      try {
        await log.rewrapKeys(newKey);
      } finally {
        await log.close();
      }
    }
    progress.step(steps, steps, 'updating the SQL store');
    const sql = await rewrapSqlStore(settings, ring, newKey);
    progress.done();
    const oldKeys = current.keys.keys.filter((key) => key.id !== newKey.id);
    const envLines = [
      options.newKeyFile === undefined
        ? `ENCRYPTION_KEY=${formatKey(newKey, 'base64')}`
        : `ENCRYPTION_KEY_FILE=${fresh.path}`,
      `ENCRYPTION_KEY_PREVIOUS=${oldKeys.map((key) => formatKey(key, 'base64')).join(',')}`,
    ];
    const lines = [
      `re-wrapped the data keys of ${databases.length} database(s), ${sql.rows} SQL database row(s), ${sql.secrets} sealed secret(s) and ${sql.signingKeys} token signing key(s) under master key ${newKey.id}`,
      'Set next (remove ENCRYPTION_KEY_FILE/ENCRYPTION_KEY of the old key), then restart the server:',
      ...envLines,
      'Keep ENCRYPTION_KEY_PREVIOUS until every server runs with the new key and backups made before now are no longer needed',
    ];
    if (options.newKeyFile === undefined) {
      lines.push(
        `The new key is also saved in ${fresh.path}: move it to your secret store, then delete that file`,
      );
    }
    return {
      newKeyId: newKey.id,
      databases: databases.length,
      sqlRows: sql.rows,
      secrets: sql.secrets,
      signingKeys: sql.signingKeys,
      envLines,
      lines,
    };
  } catch (error) {
    progress.done();
    const hint = stopServerHint(error);
    if (hint !== undefined) throw hint;
    throw error;
  }
}

async function rewrapSqlStore(
  settings: DataDirSettings,
  ring: ReturnType<typeof createKeyRing>,
  newKey: SymmetricKey,
): Promise<{ rows: number; secrets: number; signingKeys: number }> {
  if (settings.databaseUrl === undefined && !(await hasEmbeddedSqlStore(settings.dataDir))) {
    return { rows: 0, secrets: 0, signingKeys: 0 };
  }
  const store = await openSqlStore(
    settings.databaseUrl === undefined
      ? { dataDir: settings.dataDir, masterKey: ring }
      : { databaseUrl: settings.databaseUrl, masterKey: ring },
  );
  try {
    let rows = 0;
    for (const row of await store.databases.list()) {
      const wrapped = await readCurrentWrappedKey(join(settings.dataDir, 'databases', row.id));
      if (wrapped === undefined) continue;
      await store.databases.rewrapDataKey(row.id, wrapped, newKey.id);
      rows += 1;
    }
    // Secrets opened with the ring and sealed again under the new primary.
    const sealed = await store.db.select().from(sqlSchema.secrets);
    for (const secret of sealed) {
      const value = await store.secrets.get(secret.scope, secret.name);
      if (value !== undefined) await store.secrets.put(secret.scope, secret.name, value);
    }
    // Token signing keys too: afterwards the old master key opens nothing the server needs.
    const signingKeys = await store.signingKeys.reseal();
    return { rows, secrets: sealed.length, signingKeys };
  } finally {
    await store.close();
  }
}
