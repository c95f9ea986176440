import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyRing, formatKey, generateMasterKey, parseMasterKey } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEXT_MASTER_KEY_FILE, rotateMasterKey } from './rotate-master-key.js';
import {
  createFixture,
  type Fixture,
  readDatabase,
  writeDatabase,
} from './test-support/data-dir-fixture.js';
import { verifyDataDir } from './verify.js';

let fixture: Fixture;
let ids: string[];

beforeAll(async () => {
  fixture = await createFixture();
  // As the server lays it out: SQL rows first, their ids name the log directories.
  const store = await openSqlStore({
    dataDir: fixture.dataDir,
    masterKey: fixture.keys,
    onWarning: () => {},
  });
  try {
    ids = [];
    for (const name of ['default', 'acme']) {
      const row = await store.databases.create({ name, wrappedDataKey: '', kekId: fixture.key.id });
      ids.push(row.id);
      const dir = await writeDatabase(
        fixture.dataDir,
        row.id,
        fixture.keys,
        [`${name}-1`, `${name}-2`],
        1,
      );
      const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as {
        keys: { wrapped: string }[];
      };
      await store.databases.rewrapDataKey(row.id, keys.keys[0]?.wrapped ?? '', fixture.key.id);
    }
    await store.secrets.put('database:acme', 'upstream-password', 'hunter2-but-longer');
    await store.signingKeys.create({
      kid: 'kid-before-rotation',
      algorithm: 'EdDSA',
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'unused-in-this-test' },
      privateKey: 'private key text sealed under the old master key',
    });
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(async () => {
  await fixture.remove();
});

describe('rotateMasterKey', () => {
  it('re-wraps every data key, the SQL copies and the secrets; the new key alone then reads everything', async () => {
    const newKey = generateMasterKey();
    const keyFile = join(fixture.dataDir, `new-key-${newKey.id}`);
    await writeFile(keyFile, `${formatKey(newKey, 'hex')}\n`, { mode: 0o600 });
    const before = await readFile(
      join(fixture.dataDir, 'databases', ids[1] as string, 'snapshot-00000000000000000001.snap'),
    );

    const outcome = await rotateMasterKey(
      { dataDir: fixture.dataDir, masterKeys: fixture.keys },
      { newKeyFile: keyFile },
    );
    expect(outcome).toMatchObject({
      newKeyId: newKey.id,
      databases: 2,
      sqlRows: 2,
      secrets: 1,
      signingKeys: 1,
    });
    expect(outcome.envLines).toEqual([
      `ENCRYPTION_KEY_FILE=${keyFile}`,
      `ENCRYPTION_KEY_PREVIOUS=${formatKey(fixture.key, 'base64')}`,
    ]);

    const onlyNew = createKeyRing(newKey);
    expect((await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: onlyNew })).ok).toBe(true);
    expect((await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: fixture.keys })).ok).toBe(
      false,
    );
    const acmeDir = join(fixture.dataDir, 'databases', ids[1] as string);
    expect(await readDatabase(acmeDir, ids[1] as string, onlyNew)).toEqual(['acme-2']);
    // No data rewritten: the snapshot file is byte for byte the same.
    expect(await readFile(join(acmeDir, 'snapshot-00000000000000000001.snap'))).toEqual(before);

    const store = await openSqlStore({
      dataDir: fixture.dataDir,
      masterKey: onlyNew,
      onWarning: () => {},
    });
    try {
      expect(await store.secrets.get('database:acme', 'upstream-password')).toBe(
        'hunter2-but-longer',
      );
      // The token signing key opens with the new master key alone.
      expect((await store.signingKeys.active())?.privateKey).toBe(
        'private key text sealed under the old master key',
      );
      for (const id of ids) {
        const row = await store.databases.findById(id);
        const keys = JSON.parse(
          await readFile(join(fixture.dataDir, 'databases', id, 'keys.json'), 'utf8'),
        ) as {
          current: string;
          keys: { id: string; wrapped: string }[];
        };
        expect(row?.kekId).toBe(newKey.id);
        expect(row?.wrappedDataKey).toBe(keys.keys.find((key) => key.id === keys.current)?.wrapped);
      }
    } finally {
      await store.close();
    }

    // Rotating again with the same file (an interrupted run resumed) is harmless.
    const ring = createKeyRing(newKey, [fixture.key]);
    const again = await rotateMasterKey(
      { dataDir: fixture.dataDir, masterKeys: ring },
      { newKeyFile: keyFile },
    );
    expect(again.databases).toBe(2);
    fixture = { ...fixture, key: newKey, keys: onlyNew };
  });

  it('generates a key, saves it before touching data, and refuses to generate over an unfinished run', async () => {
    const outcome = await rotateMasterKey({ dataDir: fixture.dataDir, masterKeys: fixture.keys });
    const saved = parseMasterKey(
      (await readFile(join(fixture.dataDir, NEXT_MASTER_KEY_FILE), 'utf8')).trim(),
    );
    expect(saved.id).toBe(outcome.newKeyId);
    expect(outcome.envLines[0]).toBe(`ENCRYPTION_KEY=${formatKey(saved, 'base64')}`);
    expect(outcome.lines.at(-1)).toMatch(/also saved in .*master\.key\.next: move it/);
    expect(
      (await verifyDataDir({ dataDir: fixture.dataDir, masterKeys: createKeyRing(saved) })).ok,
    ).toBe(true);
    await expect(
      rotateMasterKey({ dataDir: fixture.dataDir, masterKeys: createKeyRing(saved) }),
    ).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/resume it with --new-key-file/),
    });
  });

  it('refuses an unreadable or malformed new key file and the current key', async () => {
    const settings = { dataDir: fixture.dataDir, masterKeys: fixture.keys };
    await expect(
      rotateMasterKey(settings, { newKeyFile: join(fixture.dataDir, 'nope') }),
    ).rejects.toMatchObject({
      kind: 'usage',
    });
    const bad = join(fixture.dataDir, 'bad.key');
    await writeFile(bad, 'not a key');
    await expect(rotateMasterKey(settings, { newKeyFile: bad })).rejects.toMatchObject({
      kind: 'usage',
    });
  });

  it('refuses while a database log is open (a running server) and names the fix', async () => {
    const { openDatabaseLog } = await import('@cairn/storage');
    // The previous test left the data under the key it generated and saved.
    const current = parseMasterKey(
      (await readFile(join(fixture.dataDir, NEXT_MASTER_KEY_FILE), 'utf8')).trim(),
    );
    const keys = createKeyRing(current);
    // Every database is held open: the command may visit them in any order and must stop at
    // the first one a running server holds.
    const logs = await Promise.all(
      ids.map((id) =>
        openDatabaseLog({
          dir: join(fixture.dataDir, 'databases', id),
          databaseId: id,
          masterKeys: keys,
          onWarning: () => {},
        }),
      ),
    );
    try {
      const newKey = generateMasterKey();
      const keyFile = join(fixture.dataDir, 'while-open.key');
      await writeFile(keyFile, formatKey(newKey), { mode: 0o600 });
      await expect(
        rotateMasterKey(
          { dataDir: fixture.dataDir, masterKeys: fixture.keys },
          { newKeyFile: keyFile },
        ),
      ).rejects.toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(/stop the server before rotating/),
      });
    } finally {
      await Promise.all(logs.map((log) => log.close()));
    }
  });
});
