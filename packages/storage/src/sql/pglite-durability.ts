import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../errors.js';
import type { FileSync } from './file-sync.js';

const walSegmentName = /^[0-9A-F]{24}$/;

/**
 * PGlite writes through Emscripten's NODEFS: every write() of the embedded PostgreSQL is a
 * real `fs.writeSync`, so a committed transaction's WAL record is in the OS page cache before
 * the query resolves — but its fdatasync is a no-op and it runs with `fsync=off`, so nothing
 * ever reaches the disk on purpose. This class supplies the missing half of PostgreSQL's
 * commit rule: after a security-relevant commit, fdatasync the WAL segments that can hold it
 * (and the pg_wal directory when a segment appeared) before the caller is answered.
 *
 * WAL replay is only sound on top of a durable checkpoint, so the whole cluster directory is
 * synced at open, at close, and whenever pg_control changed (a checkpoint happened).
 */
export class PgliteDurability {
  private readonly walDirectory: string;
  private readonly controlFile: string;
  /** The insert segment at the start of the last flush: later commits are in it or after it. */
  private oldestOpenSegment = '';
  private knownSegments = new Set<string>();
  private lastControl: Buffer | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly clusterDirectory: string,
    private readonly fileSync: FileSync,
    /** Name of the WAL segment PostgreSQL is inserting into now (pg_walfile_name). */
    private readonly currentSegment: () => Promise<string>,
  ) {
    this.walDirectory = join(clusterDirectory, 'pg_wal');
    this.controlFile = join(clusterDirectory, 'global', 'pg_control');
  }

  /**
   * Resolves once every commit that finished before the call is on stable storage. Concurrent
   * callers share one flush when they can (group commit), never one that started before them.
   */
  flush(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    if (this.running === undefined) return this.start();
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  /** Syncs every file and directory of the cluster: a durable base for later WAL replay. */
  async syncEverything(): Promise<void> {
    const current = await this.currentSegment();
    await this.syncTree(this.clusterDirectory);
    this.lastControl = await readFile(this.controlFile);
    this.knownSegments = new Set(await this.listSegments());
    this.oldestOpenSegment = current;
  }

  /** After PGlite closed (its shutdown checkpoint rewrote files): sync the tree only. */
  async syncClosedCluster(): Promise<void> {
    await this.syncTree(this.clusterDirectory);
  }

  private start(): Promise<void> {
    const run = this.flushWal().catch((error: unknown) => {
      throw new StorageError(
        'DURABILITY_FAILED',
        `Could not flush the embedded SQL store at ${this.clusterDirectory} to disk; the change was not acknowledged. Check the disk (space, permissions, I/O errors).`,
        { cause: error },
      );
    });
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async flushWal(): Promise<void> {
    const control = await readFile(this.controlFile);
    if (this.lastControl === undefined || !control.equals(this.lastControl)) {
      await this.syncEverything();
      return;
    }
    // Read before syncing: a commit that lands after this read is covered by the next flush.
    const current = await this.currentSegment();
    const segments = await this.listSegments();
    // Recycled segments carry future names, so the range is bounded above as well.
    const open = segments.filter((name) => name >= this.oldestOpenSegment && name <= current);
    await Promise.all(open.map((name) => this.fileSync.syncFile(join(this.walDirectory, name))));
    if (segments.some((name) => !this.knownSegments.has(name))) {
      await this.fileSync.syncDirectory(this.walDirectory);
      this.knownSegments = new Set(segments);
    }
    this.oldestOpenSegment = current;
  }

  private async listSegments(): Promise<string[]> {
    const entries = await readdir(this.walDirectory, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && walSegmentName.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  private async syncTree(root: string): Promise<void> {
    const files: string[] = [];
    const directories: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) files.push(path);
      }
      directories.push(directory);
    };
    await walk(root);
    // The kernel overlaps independent syncs; a small pool keeps the open-file count bounded.
    await inParallel(files, (path) => this.fileSync.syncFile(path));
    // Directories after their files, so every entry they name points at synced data.
    await inParallel(directories, (path) => this.fileSync.syncDirectory(path));
  }
}

async function inParallel(items: readonly string[], run: (item: string) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, items.length) }, worker));
}
