import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { users as usersTable } from '../../../src/sql/schema/index.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

export function usersSuite(shared: () => SharedStore): void {
  describe('users repository', () => {
    it('creates a user with safe defaults and finds it by id and by username in any case', async () => {
      const { users } = shared().store;
      const username = uniqueName('Alice');
      const created = await users.create({
        username,
        passwordHash: 'hash-1',
        email: 'a@example.org',
      });
      expect(created).toMatchObject({ username, isActive: false, isSuperuser: false });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await users.findById(created.id)).toEqual(created);
      expect(await users.findByUsername(username.toUpperCase())).toEqual(created);
      expect(await users.findByUsername(username.toLowerCase())).toEqual(created);
    });

    it('refuses a username that differs only in case with CONFLICT', async () => {
      const { users } = shared().store;
      const username = uniqueName('Bob');
      await users.create({ username, passwordHash: 'h' });
      const attempt = users.create({ username: username.toUpperCase(), passwordHash: 'h' });
      await expect(attempt).rejects.toSatisfy((error) => isStorageError(error, 'CONFLICT'));
      await expect(attempt).rejects.toThrow(/users_username_lower_key/);
    });

    it('returns undefined, not an error, for missing users', async () => {
      const { users } = shared().store;
      expect(await users.findById('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await users.findByUsername(uniqueName('nobody'))).toBeUndefined();
      expect(
        await users.update('00000000-0000-4000-8000-000000000000', { isActive: true }),
      ).toBeUndefined();
      expect(await users.delete('00000000-0000-4000-8000-000000000000')).toBe(false);
    });

    it('deactivation and password change move sessionsValidAfter; activation and rehash do not', async () => {
      const { users, db } = shared().store;
      const user = await users.create({ username: uniqueName('carol'), passwordHash: 'old' });
      // Back-date the session boundary so "moved to now" is visible at millisecond precision.
      const past = new Date('2000-01-01T00:00:00Z');
      const reset = () =>
        db
          .update(usersTable)
          .set({ sessionsValidAfter: past, passwordChangedAt: past })
          .where(eq(usersTable.id, user.id));
      await reset();

      const activated = await users.update(user.id, { isActive: true, email: 'c@example.org' });
      expect(activated).toMatchObject({
        isActive: true,
        email: 'c@example.org',
        sessionsValidAfter: past,
      });
      const rehashed = await users.rehashPassword(user.id, 'old-stronger');
      expect(rehashed).toMatchObject({
        passwordHash: 'old-stronger',
        sessionsValidAfter: past,
        passwordChangedAt: past,
      });

      const changed = await users.setPassword(user.id, 'new');
      expect(changed?.passwordHash).toBe('new');
      expect(changed?.sessionsValidAfter.getTime()).toBeGreaterThan(past.getTime());
      expect(changed?.passwordChangedAt.getTime()).toBeGreaterThan(past.getTime());

      await reset();
      const deactivated = await users.update(user.id, { isActive: false });
      expect(deactivated?.isActive).toBe(false);
      expect(deactivated?.sessionsValidAfter.getTime()).toBeGreaterThan(past.getTime());
      expect(deactivated?.passwordChangedAt).toEqual(past);

      await reset();
      const ended = await users.endSessions(user.id);
      expect(ended?.sessionsValidAfter.getTime()).toBeGreaterThan(past.getTime());
    });

    it('lists, counts and deletes', async () => {
      const { users } = shared().store;
      const before = await users.count();
      const user = await users.create({
        username: uniqueName('dave'),
        passwordHash: 'h',
        isSuperuser: true,
      });
      expect(await users.count()).toBe(before + 1);
      expect((await users.list()).map((row) => row.id)).toContain(user.id);
      expect(await users.delete(user.id)).toBe(true);
      expect(await users.findById(user.id)).toBeUndefined();
      expect(await users.count()).toBe(before);
    });

    it('lockFirstUser makes a second transaction wait until the first commits', async () => {
      const { store } = shared();
      const order: string[] = [];
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let signalLocked = () => {};
      const locked = new Promise<void>((resolve) => {
        signalLocked = resolve;
      });
      const first = store.transaction(async (tx) => {
        await tx.users.lockFirstUser();
        order.push('first locked');
        signalLocked();
        await held;
        order.push('first commits');
      });
      await locked;
      const second = store.transaction(async (tx) => {
        await tx.users.lockFirstUser();
        order.push('second locked');
      });
      // Give the second transaction every chance to overtake before the first lets go.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first locked', 'first commits', 'second locked']);
    });
  });
}
