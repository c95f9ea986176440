import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles, watchFiles } from './file-watcher.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-watch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function nextChange(files: string[]): { changed: Promise<void>; close(): void } {
  let close = () => {};
  const changed = new Promise<void>((resolve, reject) => {
    const watcher = watchFiles(files, resolve, reject, 20);
    close = () => watcher.close();
  });
  return { changed, close: () => close() };
}

describe('watchFiles', () => {
  it('fires when a watched file is replaced by rename (the inode changes)', async () => {
    const file = join(dir, 'server.p12');
    await writeFile(file, 'one');
    const watch = nextChange([file]);
    try {
      await writeFile(join(dir, 'server.p12.new'), 'two');
      await rename(join(dir, 'server.p12.new'), file);
      await watch.changed;
    } finally {
      watch.close();
    }
  });

  it('fires when a watched file is written in place', async () => {
    const file = join(dir, 'tls.crt');
    await writeFile(file, 'one');
    const watch = nextChange([file]);
    try {
      await writeFile(file, 'two');
      await watch.changed;
    } finally {
      watch.close();
    }
  });
});

describe('hashFiles', () => {
  it('changes with any byte of any file and treats a missing file as a value', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(a, 'x');
    await writeFile(b, 'y');
    const before = hashFiles([a, b]);
    expect(hashFiles([a, b])).toBe(before);
    await writeFile(b, 'z');
    expect(hashFiles([a, b])).not.toBe(before);
    await rm(b);
    expect(hashFiles([a, b])).toMatch(/^[0-9a-f]{64}$/);
    // Moving bytes between files is a change too (the separator keeps boundaries).
    await writeFile(a, 'xy');
    await writeFile(b, '');
    const moved = hashFiles([a, b]);
    await writeFile(a, 'x');
    await writeFile(b, 'y');
    expect(hashFiles([a, b])).not.toBe(moved);
  });
});
