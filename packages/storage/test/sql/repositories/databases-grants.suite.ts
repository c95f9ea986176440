import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { grants as grantsTable } from '../../../src/sql/schema/index.js';
import { translateSqlError } from '../../../src/sql/sql-errors.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

export function databasesAndGrantsSuite(shared: () => SharedStore): void {
  describe('databases and grants', () => {
    const newDatabase = () =>
      shared().store.databases.create({
        name: uniqueName('db'),
        wrappedDataKey: 'wrapped',
        kekId: 'kek-1',
      });

    it('creates databases with unique live names; a deleted name can be reused', async () => {
      const { databases } = shared().store;
      const name = uniqueName('sales');
      const first = await databases.create({ name, wrappedDataKey: 'w1', kekId: 'kek-1' });
      expect(await databases.findByName(name)).toEqual(first);
      await expect(
        databases.create({ name, wrappedDataKey: 'w2', kekId: 'kek-1' }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'CONFLICT'));
      const deleted = await databases.markDeleted(first.id);
      expect(deleted?.deletedAt).toBeInstanceOf(Date);
      expect(await databases.markDeleted(first.id)).toBeUndefined();
      expect(await databases.findByName(name)).toBeUndefined();
      expect((await databases.list()).map((row) => row.id)).not.toContain(first.id);
      const second = await databases.create({ name, wrappedDataKey: 'w3', kekId: 'kek-1' });
      expect(second.id).not.toBe(first.id);
      expect(await databases.findById(first.id)).toMatchObject({ deletedAt: expect.any(Date) });
    });

    it('re-wraps a data key under a new KEK', async () => {
      const { databases } = shared().store;
      const database = await newDatabase();
      expect(await databases.rewrapDataKey(database.id, 'rewrapped', 'kek-2')).toMatchObject({
        wrappedDataKey: 'rewrapped',
        kekId: 'kek-2',
      });
    });

    it('grants to a user, a role or a tenant, idempotently, and revokes', async () => {
      const { grants, users, tenants } = shared().store;
      const database = await newDatabase();
      const user = await users.create({ username: uniqueName('u'), passwordHash: 'h' });
      const tenant = await tenants.create(uniqueName('t'));
      const toUser = await grants.grant({
        databaseId: database.id,
        permission: 'read',
        userId: user.id,
      });
      expect(
        await grants.grant({ databaseId: database.id, permission: 'read', userId: user.id }),
      ).toEqual(toUser);
      await grants.grant({ databaseId: database.id, permission: 'write', role: 'writer' });
      await grants.grant({ databaseId: database.id, permission: 'share', tenantId: tenant.id });
      expect(await grants.listForDatabase(database.id)).toHaveLength(3);

      const reach = await grants.listForSubject(
        { userId: user.id, roles: ['writer'], tenantIds: [tenant.id] },
        database.id,
      );
      expect(reach.map((row) => row.permission).sort()).toEqual(['read', 'share', 'write']);
      const onlyUser = await grants.listForSubject({ userId: user.id, roles: [], tenantIds: [] });
      expect(onlyUser.map((row) => row.id)).toEqual([toUser.id]);

      expect(
        await grants.revoke({ databaseId: database.id, permission: 'write', role: 'writer' }),
      ).toBe(true);
      expect(
        await grants.revoke({ databaseId: database.id, permission: 'write', role: 'writer' }),
      ).toBe(false);
      expect(await grants.listForDatabase(database.id)).toHaveLength(2);
    });

    it('a grant needs exactly one target: the repository says so, and the CHECK enforces it', async () => {
      const { grants, db, users } = shared().store;
      const database = await newDatabase();
      const user = await users.create({ username: uniqueName('u'), passwordHash: 'h' });
      const both = {
        databaseId: database.id,
        permission: 'read',
        userId: user.id,
        role: 'reader',
      } as const;
      await expect(grants.grant(both)).rejects.toSatisfy((error) =>
        isStorageError(error, 'INVALID_INPUT'),
      );
      // Past the repository, straight into SQL: the database itself refuses.
      for (const values of [
        { databaseId: database.id, permission: 'read' as const },
        {
          databaseId: database.id,
          permission: 'read' as const,
          userId: user.id,
          role: 'reader' as const,
        },
      ]) {
        const raw = db
          .insert(grantsTable)
          .values(values)
          .catch((error) => translateSqlError(error, 'raw grant'));
        await expect(raw).rejects.toSatisfy((error) => isStorageError(error, 'INVALID_INPUT'));
        await expect(raw).rejects.toThrow(/grants_exactly_one_target/);
      }
    });

    it('the same role grant twice is one row (unique per target, nulls not distinct)', async () => {
      const { db } = shared().store;
      const database = await newDatabase();
      const values = {
        databaseId: database.id,
        permission: 'delete' as const,
        role: 'admin' as const,
      };
      await db.insert(grantsTable).values(values);
      const duplicate = db
        .insert(grantsTable)
        .values(values)
        .catch((error) => translateSqlError(error, 'raw grant'));
      await expect(duplicate).rejects.toSatisfy((error) => isStorageError(error, 'CONFLICT'));
    });

    it('grants go with their database, user or tenant (ON DELETE CASCADE) and need them to exist', async () => {
      const { grants, users, db, databases } = shared().store;
      const database = await newDatabase();
      const user = await users.create({ username: uniqueName('u'), passwordHash: 'h' });
      await grants.grant({ databaseId: database.id, permission: 'read', userId: user.id });
      await grants.grant({ databaseId: database.id, permission: 'read', role: 'reader' });
      await users.delete(user.id);
      expect(await grants.listForDatabase(database.id)).toHaveLength(1);
      await expect(
        grants.grant({
          databaseId: '00000000-0000-4000-8000-000000000000',
          permission: 'read',
          role: 'reader',
        }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'REFERENCE_MISSING'));
      const { databases: databasesTable } = await import('../../../src/sql/schema/index.js');
      const { eq } = await import('drizzle-orm');
      await db.delete(databasesTable).where(eq(databasesTable.id, database.id));
      expect(await grants.listForDatabase(database.id)).toEqual([]);
      expect(await databases.findById(database.id)).toBeUndefined();
    });
  });
}
