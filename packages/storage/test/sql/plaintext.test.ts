import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateMasterKey } from '@cairn/crypto';
import { expect, it } from 'vitest';
import { openSqlStore } from '../../src/sql/open-sql-store.js';
import { createPgliteDataDir } from './support/pglite-template.js';

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

it('a secret never appears in plaintext in any file of the PGlite directory', async () => {
  const dataDir = await createPgliteDataDir();
  try {
    const marker = `PLAINTEXT-MARKER-${randomBytes(12).toString('hex')}`;
    const store = await openSqlStore({ dataDir, masterKey: generateMasterKey() });
    await store.secrets.put('global', 'marker', marker);
    await store.signingKeys.create({
      kid: 'k1',
      algorithm: 'EdDSA',
      publicJwk: {},
      privateKey: `${marker}-private`,
    });
    expect(await store.secrets.get('global', 'marker')).toBe(marker);
    // A control row in clear text proves the scan can see what is written.
    const control = `CONTROL-${randomBytes(12).toString('hex')}`;
    await store.tenants.create(control);
    await store.close();

    const needle = Buffer.from(marker);
    let controlFound = false;
    const files = await filesUnder(join(dataDir, 'sql'));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const content = await readFile(file);
      expect(content.includes(needle), file).toBe(false);
      if (content.includes(Buffer.from(control))) controlFound = true;
    }
    expect(controlFound).toBe(true);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
