import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { restoreDatabaseLog } from '@cairn/storage';
import { readDataDirBackupManifest } from './backup-manifest.js';
import { CliError } from './cli-error.js';
import {
  DATABASES_DIR,
  findRunningOwner,
  LOCAL_MASTER_KEY_FILE,
  listDatabaseDirs,
  SQL_DIR,
} from './data-dir.js';
import { fsyncDirectory, restoreTreeChecked } from './file-copy.js';
import { type Progress, silentProgress } from './progress.js';

export interface RestoreDataDirOptions {
  readonly source: string;
  readonly dataDir: string;
  /** Replace existing state in DATA_DIR. */
  readonly force?: boolean;
  readonly progress?: Progress;
}

export interface RestoreOutcome {
  readonly lines: readonly string[];
}

/** DATA_DIR holds state when anything besides a development master key is in it. */
async function holdsState(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).some((name) => name !== LOCAL_MASTER_KEY_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Puts a `cairn backup` back into DATA_DIR, still encrypted. Every file is checked against the
 * manifests before the directory it belongs to is replaced; a non-empty DATA_DIR is refused
 * unless `force`, and a running server (a live lock) always.
 */
export async function restoreDataDir(options: RestoreDataDirOptions): Promise<RestoreOutcome> {
  const progress = options.progress ?? silentProgress;
  const source = resolve(options.source);
  const dataDir = resolve(options.dataDir);
  const manifest = await readDataDirBackupManifest(source);
  if (!options.force && (await holdsState(dataDir))) {
    throw new CliError(
      'usage',
      `DATA_DIR=${dataDir} is not empty: restore into an empty directory, or pass --force to replace its state`,
    );
  }
  const owner = await findRunningOwner(dataDir);
  if (owner !== undefined) {
    throw new CliError(
      'failure',
      `a running process (pid ${owner.pid}, lock ${owner.lock}) uses DATA_DIR=${dataDir}: stop the server before \`cairn restore\``,
    );
  }
  await mkdir(join(dataDir, DATABASES_DIR), { recursive: true, mode: 0o700 });
  const steps = manifest.databases.length + 1;
  // The SQL files are checked first: a damaged backup is refused before any database changes.
  const sqlStaging = join(dataDir, `${SQL_DIR}.restoring-${randomBytes(4).toString('hex')}`);
  if (manifest.sql.kind === 'embedded') {
    progress.step(1, steps, 'checking and copying the SQL store');
    await restoreTreeChecked(join(source, SQL_DIR), sqlStaging, manifest.sql);
  }
  try {
    for (const [index, database] of manifest.databases.entries()) {
      progress.step(index + 2, steps, `restoring database ${database.id}`);
      await restoreDatabaseLog(
        join(source, DATABASES_DIR, database.id),
        join(dataDir, DATABASES_DIR, database.id),
        {
          force: options.force ?? false,
        },
      );
    }
    if (manifest.sql.kind === 'embedded') {
      const target = join(dataDir, SQL_DIR);
      const aside = `${target}.replaced-${randomBytes(4).toString('hex')}`;
      await rename(target, aside).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await rename(sqlStaging, target);
      await fsyncDirectory(dataDir);
      await rm(aside, { recursive: true, force: true });
    }
  } finally {
    progress.done();
    await rm(sqlStaging, { recursive: true, force: true });
  }
  const restored = new Set(manifest.databases.map((database) => database.id));
  const strays = (await listDatabaseDirs(dataDir)).filter((database) => !restored.has(database.id));
  const lines = [
    `restored ${manifest.databases.length} database(s) from ${source} (made ${manifest.createdAt}) into ${dataDir}`,
    manifest.sql.kind === 'embedded'
      ? 'SQL store: embedded PGlite restored'
      : manifest.sql.kind === 'external'
        ? 'SQL store: the backup came from PostgreSQL (DATABASE_URL): restore that database with pg_restore'
        : 'SQL store: none in the backup',
    ...strays.map((database) => `left untouched: ${database.dir} is not in the backup`),
    'Start the server with the master key the backup was written with; `cairn verify` checks every file first',
  ];
  return { lines };
}
