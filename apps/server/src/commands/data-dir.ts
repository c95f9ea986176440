import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, type KeyRing, parseMasterKey } from '@cairn/crypto';
import { CliError } from './cli-error.js';

/** The values the operations commands need, taken from config.ts (or flags). */
export interface DataDirSettings {
  readonly dataDir: string;
  /** PostgreSQL holds the SQL store; unset = embedded PGlite under `<dataDir>/sql`. */
  readonly databaseUrl?: string | undefined;
  /** ENCRYPTION_KEY(+_PREVIOUS); unset = the development key at `<dataDir>/master.key`. */
  readonly masterKeys?: KeyRing | undefined;
}

// The layout shared with the server core (DESIGN §5 and the registry in databases/).
export const DATABASES_DIR = 'databases';
export const SQL_DIR = 'sql';
export const LOCAL_MASTER_KEY_FILE = 'master.key';
const LOG_KEY_FILE = 'keys.json';

export interface DatabaseDir {
  readonly id: string;
  readonly dir: string;
}

export async function assertDataDir(dataDir: string): Promise<void> {
  const info = await stat(dataDir).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw new CliError(
      'usage',
      `DATA_DIR=${dataDir} is not a directory: set DATA_DIR (or --data-dir) to the server's data directory`,
    );
  }
}

/** Every database directory under `<dataDir>/databases`, by id; none when it does not exist. */
export async function listDatabaseDirs(dataDir: string): Promise<DatabaseDir[]> {
  const root = join(dataDir, DATABASES_DIR);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.includes('.'))
    .map((entry) => ({ id: entry.name, dir: join(root, entry.name) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function hasEmbeddedSqlStore(dataDir: string): Promise<boolean> {
  return (await stat(join(dataDir, SQL_DIR)).catch(() => undefined))?.isDirectory() === true;
}

export interface ResolvedMasterKeys {
  readonly keys: KeyRing;
  /** Where they came from, for messages: `ENCRYPTION_KEY` or the dev key file. */
  readonly source: string;
}

/** The configured keys, else the development key the server created in DATA_DIR. */
export async function resolveMasterKeys(settings: DataDirSettings): Promise<ResolvedMasterKeys> {
  if (settings.masterKeys !== undefined) {
    return { keys: settings.masterKeys, source: 'ENCRYPTION_KEY' };
  }
  const path = join(settings.dataDir, LOCAL_MASTER_KEY_FILE);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch {
    throw new CliError(
      'usage',
      `no master key: set ENCRYPTION_KEY or ENCRYPTION_KEY_FILE (or --key-file) to the key the data was written with (no development key at ${path})`,
    );
  }
  try {
    return { keys: createKeyRing(parseMasterKey(text)), source: path };
  } catch (cause) {
    throw new CliError(
      'usage',
      `${path} does not hold a valid master key: restore it or set ENCRYPTION_KEY`,
      {
        cause,
      },
    );
  }
}

/** The wrapped data key `keys.json` names as current (mirrored in the SQL `databases` row). */
export async function readCurrentWrappedKey(dir: string): Promise<string | undefined> {
  try {
    const file = JSON.parse(await readFile(join(dir, LOG_KEY_FILE), 'utf8')) as {
      current?: unknown;
      keys?: { id?: unknown; wrapped?: unknown }[];
    };
    const current = file.keys?.find((key) => key.id === file.current);
    return typeof current?.wrapped === 'string' ? current.wrapped : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function lockOwner(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // sql.lock holds a bare pid, a log's LOCK a JSON owner record (both @cairn/storage formats).
  const pid = text.trim().startsWith('{')
    ? Number((JSON.parse(text) as { pid?: unknown }).pid)
    : Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
}

/**
 * The pid of a live process holding the SQL store or a database log under DATA_DIR (a running
 * server), so commands that replace files refuse instead of pulling them from under it.
 */
export async function findRunningOwner(
  dataDir: string,
): Promise<{ pid: number; lock: string } | undefined> {
  const locks = [join(dataDir, 'sql.lock')];
  for (const database of await listDatabaseDirs(dataDir)) locks.push(join(database.dir, 'LOCK'));
  for (const lock of locks) {
    const pid = await lockOwner(lock).catch(() => undefined);
    if (pid !== undefined) return { pid, lock };
  }
  return undefined;
}
