import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { kill, pid } from 'node:process';
import { LogError } from './errors.js';

export const LOCK_FILE_NAME = 'LOCK';

export interface LogLock {
  release(): Promise<void>;
}

interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly since: string;
}

/**
 * One writer per log directory: two processes appending to the same segment would interleave
 * frames. The lock file names its owner; a lock left by a process that no longer runs on this
 * host (a crash) is taken over.
 */
export async function acquireLogLock(dir: string): Promise<LogLock> {
  const file = join(dir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      const owner: LockOwner = { pid, hostname: hostname(), since: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner !== undefined && (owner.hostname !== hostname() || isRunning(owner.pid))) {
      throw new LogError(
        'LOG_LOCKED',
        `The log is open in process ${owner.pid} on ${owner.hostname} since ${owner.since}; close it there first (remove ${LOCK_FILE_NAME} only if no process uses this directory)`,
        { file },
      );
    }
    await rm(file, { force: true });
  }
  throw new LogError('LOG_LOCKED', 'Another process keeps taking the log lock', { file });
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string') {
      return { pid: value.pid, hostname: value.hostname, since: String(value.since) };
    }
  } catch {
    // A lock file cut short by a crash while being written: treat as stale.
  }
  return undefined;
}

function isRunning(processId: number): boolean {
  if (processId === pid) return true;
  try {
    kill(processId, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
