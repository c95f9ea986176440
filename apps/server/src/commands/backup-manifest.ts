import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import type { CopiedTree } from './file-copy.js';

export const BACKUP_MANIFEST_FILE = 'cairn-backup.json';

/** `cairn-backup.json` at the root of a backup made by `cairn backup`. */
export interface DataDirBackupManifest {
  readonly format: 'cairn-data-backup';
  readonly version: 1;
  readonly createdAt: string;
  /** Each database's encrypted log, under `databases/<id>/` (with its own backup.json). */
  readonly databases: readonly { readonly id: string; readonly lastSequence: number }[];
  /** `embedded`: the PGlite directory under `sql/`; `external`: PostgreSQL, not included. */
  readonly sql:
    | ({ readonly kind: 'embedded' } & CopiedTree)
    | { readonly kind: 'external' | 'absent' };
}

export async function readDataDirBackupManifest(source: string): Promise<DataDirBackupManifest> {
  const path = join(source, BACKUP_MANIFEST_FILE);
  let manifest: DataDirBackupManifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as DataDirBackupManifest;
  } catch (cause) {
    throw new CliError(
      'usage',
      `${source} is not a Cairn backup (no readable ${BACKUP_MANIFEST_FILE}): give the directory \`cairn backup\` wrote`,
      {
        cause,
      },
    );
  }
  if (
    manifest.format !== 'cairn-data-backup' ||
    manifest.version !== 1 ||
    !Array.isArray(manifest.databases)
  ) {
    throw new CliError(
      'usage',
      `${path} has an unknown format: restore it with the Cairn version that made it`,
    );
  }
  for (const database of manifest.databases) {
    if (typeof database.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(database.id)) {
      throw new CliError(
        'failure',
        `${path} names an unsafe database directory ${JSON.stringify(database.id)}`,
      );
    }
  }
  return manifest;
}
