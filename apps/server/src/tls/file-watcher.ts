import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface FileWatcher {
  close(): void;
}

/**
 * Calls `onChange` (debounced) when any of `files` changes. Directories are watched rather than
 * the files themselves because certificate tooling (certbot, cert-manager, `mv new old`)
 * replaces files by rename, and a watch on the old inode would never fire again.
 */
export function watchFiles(
  files: readonly string[],
  onChange: () => void,
  onError: (error: Error) => void,
  debounceMs: number,
): FileWatcher {
  const byDirectory = new Map<string, Set<string>>();
  for (const file of files) {
    const absolute = resolve(file);
    const names = byDirectory.get(dirname(absolute)) ?? new Set<string>();
    names.add(basename(absolute));
    byDirectory.set(dirname(absolute), names);
  }
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const [directory, names] of byDirectory) {
    try {
      const watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (name !== null && !names.has(name.toString())) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, debounceMs);
      });
      watcher.on('error', onError);
      watchers.push(watcher);
    } catch (error) {
      onError(error as Error);
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** SHA-256 over the files' bytes (missing files count as empty), to skip no-op events. */
export function hashFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
