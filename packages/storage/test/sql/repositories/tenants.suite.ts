import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

const missingId = '00000000-0000-4000-8000-000000000000';

export function tenantsSuite(shared: () => SharedStore): void {
  describe('tenants and memberships', () => {
    it('creates tenants with unique names', async () => {
      const { tenants } = shared().store;
      const name = uniqueName('acme');
      const tenant = await tenants.create(name);
      expect(await tenants.findByName(name)).toEqual(tenant);
      expect(await tenants.findById(tenant.id)).toEqual(tenant);
      expect((await tenants.list()).map((row) => row.name)).toContain(name);
      await expect(tenants.create(name)).rejects.toSatisfy((error) =>
        isStorageError(error, 'CONFLICT'),
      );
      expect(await tenants.findByName(uniqueName('none'))).toBeUndefined();
    });

    it('sets, changes and removes memberships', async () => {
      const { tenants, users } = shared().store;
      const tenant = await tenants.create(uniqueName('t'));
      const user = await users.create({ username: uniqueName('member'), passwordHash: 'h' });
      expect(await tenants.setMembership(user.id, tenant.id, 'reader')).toMatchObject({
        role: 'reader',
      });
      expect(await tenants.setMembership(user.id, tenant.id, 'admin')).toMatchObject({
        role: 'admin',
      });
      expect(await tenants.membershipsOfUser(user.id)).toEqual([
        expect.objectContaining({ tenantId: tenant.id, role: 'admin' }),
      ]);
      expect(await tenants.membersOfTenant(tenant.id)).toHaveLength(1);
      expect(await tenants.removeMembership(user.id, tenant.id)).toBe(true);
      expect(await tenants.removeMembership(user.id, tenant.id)).toBe(false);
    });

    it('refuses memberships of missing users or tenants with REFERENCE_MISSING', async () => {
      const { tenants, users } = shared().store;
      const tenant = await tenants.create(uniqueName('t'));
      const user = await users.create({ username: uniqueName('u'), passwordHash: 'h' });
      await expect(tenants.setMembership(missingId, tenant.id, 'reader')).rejects.toSatisfy(
        (error) => isStorageError(error, 'REFERENCE_MISSING'),
      );
      await expect(tenants.setMembership(user.id, missingId, 'reader')).rejects.toSatisfy((error) =>
        isStorageError(error, 'REFERENCE_MISSING'),
      );
    });

    it('deleting a user or a tenant removes its memberships (ON DELETE CASCADE)', async () => {
      const { tenants, users } = shared().store;
      const tenant = await tenants.create(uniqueName('t'));
      const staying = await users.create({ username: uniqueName('stay'), passwordHash: 'h' });
      const leaving = await users.create({ username: uniqueName('leave'), passwordHash: 'h' });
      await tenants.setMembership(staying.id, tenant.id, 'writer');
      await tenants.setMembership(leaving.id, tenant.id, 'writer');
      await users.delete(leaving.id);
      expect((await tenants.membersOfTenant(tenant.id)).map((row) => row.userId)).toEqual([
        staying.id,
      ]);
      expect(await tenants.delete(tenant.id)).toBe(true);
      expect(await tenants.membershipsOfUser(staying.id)).toEqual([]);
      expect(await users.findById(staying.id)).toBeDefined();
    });
  });
}
