import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LogError } from './errors.js';
import { hashDatabaseId, KEY_FILE_NAME } from './format.js';
import { fsyncDirectory, writeFileDurably } from './fs-durable.js';
import { readKeyFile } from './key-file.js';
import { readLogDirectory, scanAllSegments } from './log-directory.js';

export const BACKUP_MANIFEST_NAME = 'backup.json';
const MANIFEST_FORMAT = 'cairn-log-backup';
const MAX_ATTEMPTS = 5;

export interface BackupManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: 1;
  readonly databaseId: string;
  readonly createdAt: string;
  readonly snapshotSequence: number | null;
  readonly lastSequence: number;
  readonly files: readonly {
    readonly name: string;
    readonly bytes: number;
    readonly sha256: string;
  }[];
}

export interface BackupOptions {
  /** Replace a non-empty destination. */
  readonly force?: boolean;
}

async function isNonEmptyDirectory(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Copies a (possibly live) database log without decrypting anything: the newest snapshot, the
 * segments, then the key file (keys are only ever added, so the later copy holds every key the
 * copied files use). A record being written while copied shows up as a torn tail in the copy
 * and is cut off, so the backup ends at a record boundary. A snapshot deleting segments
 * mid-copy makes the attempt retry.
 */
export async function backupDatabaseLog(
  dir: string,
  destDir: string,
  options: BackupOptions = {},
): Promise<BackupManifest> {
  if (!options.force && (await isNonEmptyDirectory(destDir))) {
    throw new LogError(
      'BACKUP_TARGET_NOT_EMPTY',
      'Backup destination is not empty; pass force to replace it',
      {
        file: destDir,
      },
    );
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const staging = `${destDir}.partial-${randomBytes(4).toString('hex')}`;
    try {
      const manifest = await copyOnce(dir, staging);
      await replaceDirectory(staging, destDir);
      return manifest;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (
        !(
          isMissingFile(error) ||
          (error instanceof LogError && error.code === 'LOG_MISSING_SEGMENT')
        )
      )
        throw error;
      lastError = error;
    }
  }
  throw new LogError(
    'BACKUP_INVALID',
    `The log kept changing under the backup (${MAX_ATTEMPTS} attempts)`,
    {
      file: dir,
      cause: lastError,
    },
  );
}

async function copyOnce(dir: string, staging: string): Promise<BackupManifest> {
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const before = await readLogDirectory(dir);
  const snapshot = before.snapshots.at(-1);
  if (snapshot !== undefined) await copyFile(snapshot.file, join(staging, snapshot.name));
  const { segments } = await readLogDirectory(dir);
  for (const segment of segments) await copyFile(segment.file, join(staging, segment.name));
  await copyFile(join(dir, KEY_FILE_NAME), join(staging, KEY_FILE_NAME));

  const keyFile = await readKeyFile(staging);
  if (keyFile === undefined) throw new LogError('BACKUP_INVALID', 'No key file', { file: dir });
  const copied = await readLogDirectory(staging);
  const summaries = await scanAllSegments(copied.segments, hashDatabaseId(keyFile.databaseId));
  const first = summaries[0];
  const snapshotSequence = snapshot?.sequence ?? 0;
  if (first !== undefined && first.header.firstSequence > snapshotSequence + 1) {
    throw new LogError('LOG_MISSING_SEGMENT', 'Segments were deleted during the copy', {
      file: first.file,
    });
  }
  const newest = summaries.at(-1);
  if (newest?.tornTail !== undefined) {
    const handle = await open(newest.file, 'r+');
    await handle.truncate(newest.tornTail.offset);
    await handle.close();
  }
  const files = [];
  for (const name of (await readdir(staging)).sort()) {
    const path = join(staging, name);
    const handle = await open(path, 'r+');
    await handle.sync();
    await handle.close();
    const bytes = await readFile(path);
    files.push({
      name,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    version: 1,
    databaseId: keyFile.databaseId,
    createdAt: new Date().toISOString(),
    snapshotSequence: snapshot?.sequence ?? null,
    lastSequence: Math.max(newest?.lastSequence ?? 0, snapshotSequence),
    files,
  };
  await writeFileDurably(
    staging,
    BACKUP_MANIFEST_NAME,
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
  );
  return manifest;
}

/** Renames `staging` over `target` (moving a previous target aside first), durably. */
async function replaceDirectory(staging: string, target: string): Promise<void> {
  const parent = dirname(target);
  let aside: string | undefined;
  try {
    await stat(target);
    aside = join(parent, `.${basename(target)}.replaced-${randomBytes(4).toString('hex')}`);
    await rename(target, aside);
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  await rename(staging, target);
  await fsyncDirectory(parent);
  if (aside !== undefined) await rm(aside, { recursive: true, force: true });
}

export async function readBackupManifest(backupDir: string): Promise<BackupManifest> {
  const file = join(backupDir, BACKUP_MANIFEST_NAME);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new LogError(
      'BACKUP_INVALID',
      'No readable backup manifest; is this a backup directory?',
      { file, cause: error },
    );
  }
  if (
    manifest.format !== MANIFEST_FORMAT ||
    manifest.version !== 1 ||
    !Array.isArray(manifest.files)
  ) {
    throw new LogError('BACKUP_INVALID', 'Backup manifest has an unknown format', { file });
  }
  return manifest;
}

/**
 * Restores a backup into `dataDir` (refusing a non-empty target unless `force`). Every file is
 * checked against the manifest's SHA-256 before anything in `dataDir` is touched.
 */
export async function restoreDatabaseLog(
  backupDir: string,
  dataDir: string,
  options: BackupOptions = {},
): Promise<BackupManifest> {
  const manifest = await readBackupManifest(backupDir);
  if (!options.force && (await isNonEmptyDirectory(dataDir))) {
    throw new LogError(
      'BACKUP_TARGET_NOT_EMPTY',
      'Restore target is not empty; pass force to replace it',
      {
        file: dataDir,
      },
    );
  }
  await mkdir(dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.restoring-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    for (const entry of manifest.files) {
      if (entry.name.includes('/') || entry.name.includes('\\') || entry.name.startsWith('.')) {
        throw new LogError('BACKUP_INVALID', `Manifest names an unsafe file "${entry.name}"`, {
          file: backupDir,
        });
      }
      const source = join(backupDir, entry.name);
      const bytes = await readFile(source).catch((error: unknown) => {
        throw new LogError('BACKUP_INVALID', 'A file listed in the manifest is missing', {
          file: source,
          cause: error,
        });
      });
      if (
        bytes.length !== entry.bytes ||
        createHash('sha256').update(bytes).digest('hex') !== entry.sha256
      ) {
        throw new LogError(
          'BACKUP_INVALID',
          'File differs from the backup manifest (damaged backup)',
          { file: source },
        );
      }
      const handle = await open(join(staging, entry.name), 'w', 0o600);
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
    }
    await fsyncDirectory(staging);
    await replaceDirectory(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}
