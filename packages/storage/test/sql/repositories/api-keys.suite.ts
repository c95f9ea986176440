import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

export function apiKeysSuite(shared: () => SharedStore): void {
  describe('API keys repository', () => {
    it('stores a key by hash with its scopes and finds it by that hash', async () => {
      const { apiKeys, users } = shared().store;
      const owner = await users.create({ username: uniqueName('owner'), passwordHash: 'h' });
      const keyHash = uniqueName('hash');
      const created = await apiKeys.create({
        name: 'ci',
        keyHash,
        role: 'writer',
        description: 'build pipeline',
        databases: ['sales', 'ops'],
        tenants: ['acme'],
        ownerUserId: owner.id,
        expiresAt: new Date('2099-01-01T00:00:00Z'),
      });
      expect(created).toMatchObject({
        role: 'writer',
        databases: ['sales', 'ops'],
        tenants: ['acme'],
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(await apiKeys.findByHash(keyHash)).toEqual(created);
      expect(await apiKeys.findById(created.id)).toEqual(created);
      expect(await apiKeys.listByOwner(owner.id)).toEqual([created]);
      expect(await apiKeys.findByHash(uniqueName('other'))).toBeUndefined();
    });

    it('null scopes mean all, and a duplicate hash is a CONFLICT', async () => {
      const { apiKeys } = shared().store;
      const keyHash = uniqueName('hash');
      const created = await apiKeys.create({ name: 'all', keyHash, role: 'reader' });
      expect(created).toMatchObject({ databases: null, tenants: null, ownerUserId: null });
      await expect(apiKeys.create({ name: 'dup', keyHash, role: 'admin' })).rejects.toSatisfy(
        (error) => isStorageError(error, 'CONFLICT'),
      );
    });

    it('rotation keeps the old hash working only until previousValidUntil', async () => {
      const { apiKeys } = shared().store;
      const oldHash = uniqueName('old');
      const newHash = uniqueName('new');
      const key = await apiKeys.create({ name: 'rotating', keyHash: oldHash, role: 'reader' });
      const graceEnd = new Date('2030-01-01T00:00:00Z');
      const rotated = await apiKeys.rotate(key.id, {
        newKeyHash: newHash,
        previousValidUntil: graceEnd,
      });
      expect(rotated).toMatchObject({
        keyHash: newHash,
        previousKeyHash: oldHash,
        previousValidUntil: graceEnd,
      });
      expect((await apiKeys.findByHash(newHash))?.id).toBe(key.id);
      expect((await apiKeys.findByHash(oldHash, new Date('2029-12-31T00:00:00Z')))?.id).toBe(
        key.id,
      );
      expect(await apiKeys.findByHash(oldHash, new Date('2030-01-02T00:00:00Z'))).toBeUndefined();
      const newerHash = uniqueName('newer');
      await apiKeys.rotate(key.id, { newKeyHash: newerHash });
      expect(await apiKeys.findByHash(newHash, new Date('2000-01-01T00:00:00Z'))).toBeUndefined();
    });

    it('revocation is recorded once, ends the rotation grace and blocks later rotation', async () => {
      const { apiKeys } = shared().store;
      const oldHash = uniqueName('old');
      const key = await apiKeys.create({ name: 'doomed', keyHash: oldHash, role: 'admin' });
      await apiKeys.rotate(key.id, {
        newKeyHash: uniqueName('new'),
        previousValidUntil: new Date('2099-01-01'),
      });
      const revoked = await apiKeys.revoke(key.id);
      expect(revoked?.revokedAt).toBeInstanceOf(Date);
      expect(await apiKeys.findByHash(oldHash, new Date('2050-01-01'))).toBeUndefined();
      const again = await apiKeys.revoke(key.id);
      expect(again?.revokedAt).toEqual(revoked?.revokedAt);
      expect(await apiKeys.rotate(key.id, { newKeyHash: uniqueName('x') })).toBeUndefined();
      expect(await apiKeys.revoke('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it("records last use, and owner deletion removes the owner's keys", async () => {
      const { apiKeys, users } = shared().store;
      const owner = await users.create({ username: uniqueName('owner'), passwordHash: 'h' });
      const key = await apiKeys.create({
        name: 'k',
        keyHash: uniqueName('h'),
        role: 'reader',
        ownerUserId: owner.id,
      });
      const at = new Date('2031-05-06T07:08:09Z');
      await apiKeys.touchLastUsed(key.id, at);
      expect((await apiKeys.findById(key.id))?.lastUsedAt).toEqual(at);
      await users.delete(owner.id);
      expect(await apiKeys.findById(key.id)).toBeUndefined();
    });

    it('refuses an owner that does not exist', async () => {
      const { apiKeys } = shared().store;
      const attempt = apiKeys.create({
        name: 'orphan',
        keyHash: uniqueName('h'),
        role: 'reader',
        ownerUserId: '00000000-0000-4000-8000-000000000000',
      });
      await expect(attempt).rejects.toSatisfy((error) =>
        isStorageError(error, 'REFERENCE_MISSING'),
      );
    });
  });
}
