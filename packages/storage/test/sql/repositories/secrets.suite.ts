import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { openSqlStore } from '../../../src/sql/open-sql-store.js';
import { secrets, signingKeys } from '../../../src/sql/schema/index.js';
import { type SharedStore, uniqueName } from '../support/backends.js';
import { testMasterKey } from '../support/test-keys.js';

const masterKey = testMasterKey;

export function secretsSuite(shared: () => SharedStore): void {
  describe('secrets and signing keys', () => {
    it('puts, gets, lists and deletes secrets; the stored value is sealed', async () => {
      const { store } = shared();
      const scope = uniqueName('database');
      await store.secrets.put(scope, 'smtp-password', 'hunter2');
      expect(await store.secrets.get(scope, 'smtp-password')).toBe('hunter2');
      const replaced = await store.secrets.put(scope, 'smtp-password', 'correct horse');
      expect(await store.secrets.get(scope, 'smtp-password')).toBe('correct horse');
      expect(replaced.updatedAt.getTime()).toBeGreaterThanOrEqual(replaced.createdAt.getTime());
      const [row] = await store.db.select().from(secrets).where(eq(secrets.scope, scope));
      expect(row?.sealedValue).toMatch(/^cairn-sb1\./);
      expect(row?.sealedValue).not.toContain('correct horse');
      expect((await store.secrets.list(scope)).map((record) => record.name)).toEqual([
        'smtp-password',
      ]);
      expect(await store.secrets.get(scope, 'missing')).toBeUndefined();
      expect(await store.secrets.delete(scope, 'smtp-password')).toBe(true);
      expect(await store.secrets.delete(scope, 'smtp-password')).toBe(false);
      expect(await store.secrets.get(scope, 'smtp-password')).toBeUndefined();
    });

    it('putIfAbsent: of racing creators every one gets the first stored value', async () => {
      const { store } = shared();
      const scope = uniqueName('pepper');
      const values = Array.from({ length: 6 }, (_, i) => `candidate-${i}`);
      const results = await Promise.all(
        values.map((value) => store.secrets.putIfAbsent(scope, 'api-key-pepper', value)),
      );
      expect(new Set(results).size).toBe(1);
      expect(values).toContain(results[0]);
      expect(await store.secrets.get(scope, 'api-key-pepper')).toBe(results[0]);
      expect(await store.secrets.putIfAbsent(scope, 'api-key-pepper', 'late')).toBe(results[0]);
    });

    it('a sealed value copied to another row (other name or scope) does not open', async () => {
      const { store } = shared();
      const scope = uniqueName('scope');
      await store.secrets.put(scope, 'a', 'value-of-a');
      await store.secrets.put(scope, 'b', 'value-of-b');
      const otherScope = uniqueName('other');
      await store.secrets.put(otherScope, 'a', 'value-of-other-a');
      const [rowA] = await store.db
        .select()
        .from(secrets)
        .where(and(eq(secrets.scope, scope), eq(secrets.name, 'a')));
      const moved = rowA?.sealedValue ?? '';
      await store.db
        .update(secrets)
        .set({ sealedValue: moved })
        .where(and(eq(secrets.scope, scope), eq(secrets.name, 'b')));
      await store.db
        .update(secrets)
        .set({ sealedValue: moved })
        .where(and(eq(secrets.scope, otherScope), eq(secrets.name, 'a')));
      for (const [s, n] of [
        [scope, 'b'],
        [otherScope, 'a'],
      ] as const) {
        await expect(store.secrets.get(s, n)).rejects.toSatisfy((error) =>
          isStorageError(error, 'SECRET_UNREADABLE'),
        );
      }
      expect(await store.secrets.get(scope, 'a')).toBe('value-of-a');
    });

    it('a store with another master key cannot open them; a key ring with the old key can', async () => {
      const { store, target } = shared();
      const scope = uniqueName('rotation');
      await store.secrets.put(scope, 'token', 'sealed-under-old');
      if (shared().backend === 'pglite') {
        // PGlite has one opener; read the row and check with a second box instead.
        const { createSecretBox } = await import('../../../src/sql/secret-box.js');
        const { secretContext } = await import('../../../src/sql/repositories/secrets.js');
        const [row] = await store.db.select().from(secrets).where(eq(secrets.scope, scope));
        const context = secretContext(scope, 'token');
        expect(() =>
          createSecretBox(generateMasterKey()).open(row?.sealedValue ?? '', context, 'x'),
        ).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
        const ring = createKeyRing(generateMasterKey(), [masterKey]);
        expect(createSecretBox(ring).open(row?.sealedValue ?? '', context, 'x')).toBe(
          'sealed-under-old',
        );
        return;
      }
      const wrongKey = await openSqlStore({ ...target.options, masterKey: generateMasterKey() });
      const rotated = await openSqlStore({
        ...target.options,
        masterKey: createKeyRing(generateMasterKey(), [masterKey]),
      });
      const keyless = await openSqlStore(target.options);
      try {
        await expect(wrongKey.secrets.get(scope, 'token')).rejects.toSatisfy((error) =>
          isStorageError(error, 'SECRET_UNREADABLE'),
        );
        expect(await rotated.secrets.get(scope, 'token')).toBe('sealed-under-old');
        await expect(keyless.secrets.get(scope, 'token')).rejects.toSatisfy((error) =>
          isStorageError(error, 'MASTER_KEY_MISSING'),
        );
        await expect(keyless.secrets.put(scope, 'x', 'y')).rejects.toSatisfy((error) =>
          isStorageError(error, 'MASTER_KEY_MISSING'),
        );
      } finally {
        await Promise.all([wrongKey.close(), rotated.close(), keyless.close()]);
      }
    });

    it('stores signing keys with a sealed private part; the newest unretired one is active', async () => {
      const { store } = shared();
      const privateKey = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: uniqueName('private') });
      const kid = uniqueName('kid');
      const created = await store.signingKeys.create({
        kid,
        algorithm: 'EdDSA',
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'public-x', kid },
        privateKey,
      });
      expect(created).toMatchObject({ kid, algorithm: 'EdDSA', retiredAt: null });
      const [row] = await store.db.select().from(signingKeys).where(eq(signingKeys.kid, kid));
      expect(row?.sealedPrivateKey).not.toContain('private');
      expect(await store.signingKeys.active()).toMatchObject({ kid, privateKey });
      await expect(
        store.signingKeys.create({ kid, algorithm: 'EdDSA', publicJwk: {}, privateKey }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'CONFLICT'));
      const retired = await store.signingKeys.retire(kid);
      expect(retired?.retiredAt).toBeInstanceOf(Date);
      expect((await store.signingKeys.active())?.kid).not.toBe(kid);
      expect((await store.signingKeys.list()).map((key) => key.kid)).toContain(kid);
      expect(await store.signingKeys.delete(kid)).toBe(true);
      expect(await store.signingKeys.retire(kid)).toBeUndefined();
    });

    it('concurrent createIfNoneActive calls agree on one active key; rotate retires it', async () => {
      const { store } = shared();
      const candidate = (n: number) => {
        const kid = uniqueName(`first-${n}`);
        return {
          kid,
          algorithm: 'EdDSA',
          publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${n}`, kid },
          privateKey: JSON.stringify({ d: `private-${n}` }),
        };
      };
      const results = await Promise.all(
        [0, 1, 2, 3, 4].map((n) => store.signingKeys.createIfNoneActive(candidate(n))),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const winner = results.find((result) => result.created)?.key;
      expect(new Set(results.map((result) => result.key.kid))).toEqual(new Set([winner?.kid]));
      expect(results.every((result) => result.key.privateKey === winner?.privateKey)).toBe(true);
      const unretired = (await store.signingKeys.list()).filter((key) => key.retiredAt === null);
      expect(unretired.map((key) => key.kid)).toEqual([winner?.kid]);

      const next = candidate(9);
      const rotated = await store.signingKeys.rotate(next);
      expect(rotated).toMatchObject({ kid: next.kid, retiredAt: null });
      expect(await store.signingKeys.active()).toMatchObject({
        kid: next.kid,
        privateKey: next.privateKey,
      });
      const again = await store.signingKeys.createIfNoneActive(candidate(10));
      expect(again).toMatchObject({ created: false, key: { kid: next.kid } });
      const keys = await store.signingKeys.list();
      expect(keys.find((key) => key.kid === winner?.kid)?.retiredAt).toBeInstanceOf(Date);
      expect(keys.filter((key) => key.retiredAt === null).map((key) => key.kid)).toEqual([
        next.kid,
      ]);
      for (const key of keys) await store.signingKeys.delete(key.kid);
    });
  });
}
