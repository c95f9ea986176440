import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { refreshTokens } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export interface IssueRefreshTokenInput {
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export type ConsumeRefreshTokenResult =
  | { outcome: 'consumed'; token: RefreshTokenRow }
  /** The token was already spent: a sign of theft; the family has been revoked. */
  | { outcome: 'reused'; token: RefreshTokenRow }
  | { outcome: 'revoked' | 'expired'; token: RefreshTokenRow }
  | { outcome: 'unknown' };

export interface RefreshTokensRepository {
  issue(input: IssueRefreshTokenInput): Promise<RefreshTokenRow>;
  findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined>;
  /**
   * Spends a token exactly once, atomically (two concurrent refreshes cannot both win). Reuse
   * of a spent token revokes its whole family.
   */
  consume(tokenHash: string, now?: Date): Promise<ConsumeRefreshTokenResult>;
  revokeFamily(familyId: string): Promise<number>;
  revokeAllOfUser(userId: string): Promise<number>;
  /** Removes tokens that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}

export function createRefreshTokensRepository(context: RepositoryContext): RefreshTokensRepository {
  const { db } = context;
  const revokeWhere = (condition: ReturnType<typeof eq>) =>
    context.durably(async (tx) => {
      const rows = await tx
        .update(refreshTokens)
        .set({ revokedAt: sql`now()` })
        .where(and(condition, isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length;
    });

  return {
    issue: (input) =>
      guardWrite('refresh token', () =>
        context.durably(async (tx) => {
          const [row] = await tx.insert(refreshTokens).values(input).returning();
          if (row === undefined) throw new Error('insert into refresh_tokens returned no row');
          return row;
        }),
      ),
    findByHash: async (tokenHash) =>
      (await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)))[0],
    consume: (tokenHash, now = new Date()) =>
      context.durably(async (tx): Promise<ConsumeRefreshTokenResult> => {
        const [spent] = await tx
          .update(refreshTokens)
          .set({ usedAt: now })
          .where(
            and(
              eq(refreshTokens.tokenHash, tokenHash),
              isNull(refreshTokens.usedAt),
              isNull(refreshTokens.revokedAt),
              gt(refreshTokens.expiresAt, now),
            ),
          )
          .returning();
        if (spent !== undefined) return { outcome: 'consumed', token: spent };
        const [token] = await tx
          .select()
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, tokenHash));
        if (token === undefined) return { outcome: 'unknown' };
        if (token.revokedAt !== null) return { outcome: 'revoked', token };
        if (token.usedAt !== null) {
          await tx
            .update(refreshTokens)
            .set({ revokedAt: now })
            .where(
              and(eq(refreshTokens.familyId, token.familyId), isNull(refreshTokens.revokedAt)),
            );
          return { outcome: 'reused', token };
        }
        return { outcome: 'expired', token };
      }),
    revokeFamily: (familyId) => revokeWhere(eq(refreshTokens.familyId, familyId)),
    revokeAllOfUser: (userId) => revokeWhere(eq(refreshTokens.userId, userId)),
    deleteExpired: async (before) => {
      const rows = await db
        .delete(refreshTokens)
        .where(lt(refreshTokens.expiresAt, before))
        .returning({ id: refreshTokens.id });
      return rows.length;
    },
  };
}
