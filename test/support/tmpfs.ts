import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How this process may mount: directly as root, through passwordless sudo (CI runners), or
 * not at all (undefined).
 */
export function mountPrefix(): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.getuid?.() === 0) return [];
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return ['sudo', '-n'];
  } catch {
    return undefined;
  }
}

/**
 * Whether a tmpfs can really be mounted here: root in an unprivileged container (no
 * CAP_SYS_ADMIN) has the rights on paper but the kernel refuses, so this tries once.
 */
export function canMountTmpfs(): boolean {
  const prefix = mountPrefix();
  if (prefix === undefined) return false;
  const probe = mkdtempSync(join(tmpdir(), 'cairn-mount-probe-'));
  const invoke = (args: string[]) => {
    const [command, ...rest] = [...prefix, ...args] as [string, ...string[]];
    execFileSync(command, rest, { stdio: 'ignore', timeout: 15_000 });
  };
  try {
    invoke(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    invoke(['umount', probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

export interface MountedTmpfs {
  readonly path: string;
  /** Lazy unmount: works even while a killed process's files are still being released. */
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `sizeBytes` at `path` (an existing directory), owned by this process. */
export async function mountTmpfs(path: string, sizeBytes: number): Promise<MountedTmpfs> {
  const prefix = mountPrefix();
  if (prefix === undefined) throw new Error('mounting a tmpfs needs root or passwordless sudo');
  const invoke = async (args: string[]) => {
    const [command, ...rest] = [...prefix, ...args] as [string, ...string[]];
    try {
      await run(command, rest, { timeout: 15_000 });
    } catch (error) {
      throw new Error(
        `${args.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? error}`,
      );
    }
  };
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  await invoke([
    'mount',
    '-t',
    'tmpfs',
    '-o',
    `size=${sizeBytes},mode=0700,uid=${uid},gid=${gid}`,
    'tmpfs',
    path,
  ]);
  let mounted = true;
  return {
    path,
    async unmount() {
      if (!mounted) return;
      mounted = false;
      await invoke(['umount', '-l', path]);
    },
  };
}
