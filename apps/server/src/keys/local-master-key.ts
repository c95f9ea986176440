import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKey, formatKey, parseMasterKey, type SymmetricKey } from '@cairn/crypto';
import { CairnError } from '../errors.js';

export const LOCAL_MASTER_KEY_FILE = 'master.key';

export interface LocalMasterKey {
  readonly key: SymmetricKey;
  readonly path: string;
  /** True when this start created the file. */
  readonly created: boolean;
}

/**
 * Development convenience: a master key kept at `<dataDir>/master.key` (mode 0600), created on
 * the first start and reused afterwards. It sits next to the data it protects, so it only
 * guards against someone who copies part of the directory; production refuses it.
 */
export async function loadOrCreateLocalMasterKey(dataDir: string): Promise<LocalMasterKey> {
  const path = join(dataDir, LOCAL_MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails when the file exists, so two starts cannot both create a key.
    const handle = await open(path, 'wx', 0o600);
    const key = createKey(randomBytes(32));
    try {
      await handle.writeFile(`${formatKey(key, 'base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(path, 0o600);
    return { key, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = (await readFile(path, 'utf8')).trim();
  try {
    return { key: parseMasterKey(text), path, created: false };
  } catch (cause) {
    throw new CairnError(
      'INTERNAL',
      `${path} does not hold a valid master key; restore it, or set ENCRYPTION_KEY to the key this data was written with`,
      { cause },
    );
  }
}
