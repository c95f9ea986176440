import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadOrCreateLocalMasterKey } from '../src/keys/local-master-key.js';

test('created once with mode 0600, then reused', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'cairn-key-')), 'data');
  const first = await loadOrCreateLocalMasterKey(dir);
  expect(first.created).toBe(true);
  expect((await stat(first.path)).mode & 0o777).toBe(0o600);
  const second = await loadOrCreateLocalMasterKey(dir);
  expect(second.created).toBe(false);
  expect(second.key.id).toBe(first.key.id);
});

test('a damaged key file is reported with how to fix it, never replaced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-key-'));
  await writeFile(join(dir, 'master.key'), 'garbage');
  await expect(loadOrCreateLocalMasterKey(dir)).rejects.toThrow(
    /does not hold a valid master key; restore it, or set ENCRYPTION_KEY/,
  );
});
