import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { backupDatabaseLog, isStorageError, openSqlStore } from '@cairn/storage';
import { BACKUP_MANIFEST_FILE, type DataDirBackupManifest } from './backup-manifest.js';
import { CliError } from './cli-error.js';
import {
  assertDataDir,
  DATABASES_DIR,
  type DataDirSettings,
  hasEmbeddedSqlStore,
  listDatabaseDirs,
  SQL_DIR,
} from './data-dir.js';
import { copyTreeWithDigests, fsyncDirectory } from './file-copy.js';
import { type Progress, silentProgress } from './progress.js';

export interface BackupDataDirOptions {
  readonly dest: string;
  /** Replace a non-empty destination. */
  readonly force?: boolean;
  readonly progress?: Progress;
}

export interface BackupOutcome {
  readonly dest: string;
  readonly manifest: DataDirBackupManifest;
  readonly lines: readonly string[];
}

async function isNonEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Copies DATA_DIR's state without decrypting anything: each database log through
 * @cairn/storage's live-safe backup, and the embedded SQL store (password and API-key hashes,
 * sealed secrets) byte for byte while holding its lock. The master key is never copied: a
 * backup is useless without it, which is the point.
 */
export async function backupDataDir(
  settings: DataDirSettings,
  options: BackupDataDirOptions,
): Promise<BackupOutcome> {
  const progress = options.progress ?? silentProgress;
  await assertDataDir(settings.dataDir);
  const dest = resolve(options.dest);
  const fromData = relative(resolve(settings.dataDir), dest);
  if (fromData === '' || (!fromData.startsWith('..') && !fromData.startsWith('/'))) {
    throw new CliError(
      'usage',
      `backup destination ${dest} is inside DATA_DIR: choose a directory outside it`,
    );
  }
  if (!options.force && (await isNonEmpty(dest))) {
    throw new CliError(
      'usage',
      `backup destination ${dest} is not empty: choose an empty directory or pass --force to replace it`,
    );
  }
  const staging = `${dest}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(dirname(dest), { recursive: true });
  await mkdir(staging, { mode: 0o700 });
  try {
    const databases = await listDatabaseDirs(settings.dataDir);
    const copied: { id: string; lastSequence: number }[] = [];
    const steps = databases.length + 1;
    for (const [index, database] of databases.entries()) {
      progress.step(index + 1, steps, `copying database ${database.id}`);
      const manifest = await backupDatabaseLog(
        database.dir,
        join(staging, DATABASES_DIR, database.id),
      );
      copied.push({ id: database.id, lastSequence: manifest.lastSequence });
    }
    progress.step(steps, steps, 'copying the SQL store');
    const sql = await backupSqlStore(settings, join(staging, SQL_DIR));
    progress.done();
    const manifest: DataDirBackupManifest = {
      format: 'cairn-data-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      databases: copied,
      sql,
    };
    const handle = await open(join(staging, BACKUP_MANIFEST_FILE), 'wx', 0o600);
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
    await handle.close();
    await fsyncDirectory(staging);
    if (options.force) await rm(dest, { recursive: true, force: true });
    await rename(staging, dest);
    await fsyncDirectory(dirname(dest));
    const lines = [
      `backed up ${copied.length} database(s) to ${dest}`,
      sql.kind === 'embedded'
        ? `SQL store: embedded PGlite copied (${sql.files.length} files)`
        : sql.kind === 'external'
          ? 'SQL store: on PostgreSQL (DATABASE_URL), not included: back it up with pg_dump'
          : 'SQL store: none under DATA_DIR',
      'The master key is not in the backup: keep ENCRYPTION_KEY safe elsewhere, restoring needs it',
    ];
    return { dest, manifest, lines };
  } catch (error) {
    progress.done();
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function backupSqlStore(
  settings: DataDirSettings,
  target: string,
): Promise<DataDirBackupManifest['sql']> {
  if (settings.databaseUrl !== undefined) return { kind: 'external' };
  if (!(await hasEmbeddedSqlStore(settings.dataDir))) return { kind: 'absent' };
  // Opening takes the store's lock, so a running server makes this fail instead of copying a
  // cluster that is being written; nothing writes while we copy, so the copy is consistent.
  let store: Awaited<ReturnType<typeof openSqlStore>>;
  try {
    store = await openSqlStore({ dataDir: settings.dataDir, onWarning: () => {} });
  } catch (error) {
    if (isStorageError(error) && error.code === 'STORE_LOCKED') {
      throw new CliError(
        'failure',
        `the SQL store is in use (${error.message}): stop the server before \`cairn backup\``,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    return {
      kind: 'embedded',
      ...(await copyTreeWithDigests(join(settings.dataDir, SQL_DIR), target)),
    };
  } finally {
    await store.close();
  }
}
