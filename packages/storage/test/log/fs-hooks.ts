import type * as FsPromises from 'node:fs/promises';

/*
 * One-shot hooks into node:fs/promises, so a race or a failure inside the log happens every
 * time rather than by luck. A test file replaces the module with
 *   vi.mock('node:fs/promises', (original) => import('./fs-hooks.js').then((m) => m.hookedFsPromises(original)));
 * and arms a hook; it runs once, on the first call whose path matches, and is disarmed first
 * (a test asserts it is undefined afterwards to know the interleaving really happened).
 */
export interface FsHook {
  readonly path: RegExp;
  readonly run: () => Promise<void> | void;
}

export const fsHooks: {
  beforeOpen: FsHook | undefined;
  beforeRename: FsHook | undefined;
  afterReaddir: FsHook | undefined;
} = { beforeOpen: undefined, beforeRename: undefined, afterReaddir: undefined };

function take(name: keyof typeof fsHooks, path: unknown): FsHook | undefined {
  const hook = fsHooks[name];
  if (hook === undefined || !hook.path.test(String(path))) return undefined;
  fsHooks[name] = undefined;
  return hook;
}

export async function hookedFsPromises(
  importOriginal: () => Promise<typeof FsPromises>,
): Promise<typeof FsPromises> {
  const actual = await importOriginal();
  const hooked = {
    open: (async (...args: Parameters<typeof actual.open>) => {
      await take('beforeOpen', args[0])?.run();
      return actual.open(...args);
    }) as typeof actual.open,
    rename: (async (from: FsPromises.FileHandle | string, to: string) => {
      await take('beforeRename', to)?.run();
      return actual.rename(String(from), to);
    }) as typeof actual.rename,
    readdir: (async (...args: Parameters<typeof actual.readdir>) => {
      const names = await actual.readdir(...args);
      await take('afterReaddir', args[0])?.run();
      return names;
    }) as typeof actual.readdir,
  };
  return { ...actual, ...hooked, default: { ...actual, ...hooked } } as typeof FsPromises;
}
