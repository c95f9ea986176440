import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

const future = new Date('2099-01-01T00:00:00Z');

export function refreshTokensSuite(shared: () => SharedStore): void {
  describe('refresh tokens repository', () => {
    const newUser = () =>
      shared().store.users.create({ username: uniqueName('u'), passwordHash: 'h' });

    it('a token is consumed exactly once, even by concurrent refreshes', async () => {
      const { refreshTokens } = shared().store;
      const user = await newUser();
      const tokenHash = uniqueName('t');
      await refreshTokens.issue({
        userId: user.id,
        familyId: randomUUID(),
        tokenHash,
        expiresAt: future,
      });
      const results = await Promise.all([
        refreshTokens.consume(tokenHash),
        refreshTokens.consume(tokenHash),
      ]);
      expect(results.map((result) => result.outcome).sort()).toEqual(['consumed', 'reused']);
    });

    it('reuse of a spent token revokes its whole family', async () => {
      const { refreshTokens } = shared().store;
      const user = await newUser();
      const familyId = randomUUID();
      const first = uniqueName('first');
      const second = uniqueName('second');
      await refreshTokens.issue({ userId: user.id, familyId, tokenHash: first, expiresAt: future });
      expect((await refreshTokens.consume(first)).outcome).toBe('consumed');
      await refreshTokens.issue({
        userId: user.id,
        familyId,
        tokenHash: second,
        expiresAt: future,
      });
      expect((await refreshTokens.consume(first)).outcome).toBe('reused');
      expect((await refreshTokens.findByHash(second))?.revokedAt).toBeInstanceOf(Date);
      expect((await refreshTokens.consume(second)).outcome).toBe('revoked');
    });

    it('reports expired and unknown tokens as values', async () => {
      const { refreshTokens } = shared().store;
      const user = await newUser();
      const tokenHash = uniqueName('t');
      await refreshTokens.issue({
        userId: user.id,
        familyId: randomUUID(),
        tokenHash,
        expiresAt: new Date('2030-01-01T00:00:00Z'),
      });
      expect(
        (await refreshTokens.consume(tokenHash, new Date('2030-01-02T00:00:00Z'))).outcome,
      ).toBe('expired');
      expect(await refreshTokens.consume(uniqueName('none'))).toEqual({ outcome: 'unknown' });
      expect(
        await refreshTokens.deleteExpired(new Date('2030-06-01T00:00:00Z')),
      ).toBeGreaterThanOrEqual(1);
      expect(await refreshTokens.findByHash(tokenHash)).toBeUndefined();
    });

    it('revokes every token of a user, and refuses duplicates and unknown users', async () => {
      const { refreshTokens } = shared().store;
      const user = await newUser();
      const hashes = [uniqueName('a'), uniqueName('b')];
      for (const tokenHash of hashes) {
        await refreshTokens.issue({
          userId: user.id,
          familyId: randomUUID(),
          tokenHash,
          expiresAt: future,
        });
      }
      expect(await refreshTokens.revokeAllOfUser(user.id)).toBe(2);
      expect(await refreshTokens.revokeAllOfUser(user.id)).toBe(0);
      await expect(
        refreshTokens.issue({
          userId: user.id,
          familyId: randomUUID(),
          tokenHash: hashes[0] ?? '',
          expiresAt: future,
        }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'CONFLICT'));
      await expect(
        refreshTokens.issue({
          userId: '00000000-0000-4000-8000-000000000000',
          familyId: randomUUID(),
          tokenHash: uniqueName('c'),
          expiresAt: future,
        }),
      ).rejects.toSatisfy((error) => isStorageError(error, 'REFERENCE_MISSING'));
    });
  });
}
