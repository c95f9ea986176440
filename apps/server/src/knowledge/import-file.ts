import { constants } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CairnError } from '../errors.js';

/** Server-side import (ACCEPT_LOCAL_FILE_PATH=true with IMPORT_DIR). */
export interface ImportSettings {
  /** The only directory files are imported from; undefined = importFacts is off. */
  readonly importDir: string | undefined;
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
}

export const DEFAULT_IMPORT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Reads `requested` (relative to IMPORT_DIR, or absolute inside it) without ever leaving
 * IMPORT_DIR: `..`, absolute paths elsewhere and symbolic links that lead out are refused
 * before anything is opened; the opened file is checked again through its descriptor (a path
 * swapped after the check is caught), and only a regular file of bounded size is read.
 * Messages repeat only what the caller sent and never say what exists outside IMPORT_DIR.
 */
export async function readImportFile(settings: ImportSettings, requested: string): Promise<string> {
  const { importDir } = settings;
  if (importDir === undefined) {
    throw new CairnError(
      'FORBIDDEN',
      'importFacts from a server path is off: the operator enables it with ACCEPT_LOCAL_FILE_PATH=true and IMPORT_DIR',
    );
  }
  if (requested.length === 0 || requested.length > 4096 || requested.includes('\0')) {
    throw new CairnError('BAD_USER_INPUT', 'path must be 1–4096 characters without NUL', {
      argument: 'path',
    });
  }
  const root = await realpath(importDir).catch(() => {
    throw new CairnError('UNAVAILABLE', 'IMPORT_DIR cannot be read; tell the operator');
  });
  const candidate = resolve(importDir, requested);
  if (!isInside(resolve(importDir), candidate) && !isInside(root, candidate)) throw outside();
  const real = await realpath(candidate).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' || error.code === 'ENOTDIR'
      ? new CairnError('BAD_USER_INPUT', `no file ${JSON.stringify(requested)} in IMPORT_DIR`, {
          argument: 'path',
        })
      : new CairnError(
          'BAD_USER_INPUT',
          `path ${JSON.stringify(requested)} cannot be resolved (${error.code ?? 'error'})`,
          { argument: 'path' },
        );
  });
  if (!isInside(root, real)) throw outside();
  const flags =
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
  const handle = await open(real, flags).catch((error: NodeJS.ErrnoException) => {
    throw new CairnError(
      'BAD_USER_INPUT',
      `path ${JSON.stringify(requested)} cannot be opened (${error.code ?? 'error'})`,
      { argument: 'path' },
    );
  });
  try {
    // Where the descriptor really points, when the platform says (Linux): a directory
    // renamed or re-linked between realpath and open cannot smuggle another file in.
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (opened !== undefined && !isInside(root, opened)) throw outside();
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new CairnError(
        'BAD_USER_INPUT',
        `path ${JSON.stringify(requested)} is not a regular file (${kindOf(stats)})`,
        { argument: 'path' },
      );
    }
    if (stats.size > settings.maxBytes) throw tooLarge(settings.maxBytes);
    // Read at most one byte past the limit: a file growing while read is still bounded.
    const buffer = Buffer.alloc(Math.min(stats.size, settings.maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > settings.maxBytes) throw tooLarge(settings.maxBytes);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      throw new CairnError('BAD_USER_INPUT', 'the file is not UTF-8 text', { argument: 'path' });
    }
  } finally {
    await handle.close();
  }
}

function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  if (rest === '' || isAbsolute(rest)) return false;
  return rest !== '..' && !rest.startsWith(`..${sep}`);
}

function outside(): CairnError {
  return new CairnError(
    'FORBIDDEN',
    'path must name a file inside IMPORT_DIR (no "..", no absolute path elsewhere, no link leading out)',
    { argument: 'path' },
  );
}

function tooLarge(maxBytes: number): CairnError {
  return new CairnError(
    'BAD_USER_INPUT',
    `the file is larger than the import limit of ${maxBytes} bytes; split it`,
    {
      argument: 'path',
    },
  );
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}
