import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { apiKeys, type Role } from '../schema/index.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface CreateApiKeyInput {
  name: string;
  keyHash: string;
  role: Role;
  description?: string | null;
  databases?: string[] | null;
  tenants?: string[] | null;
  ownerUserId?: string | null;
  expiresAt?: Date | null;
}

export interface RotateApiKeyInput {
  newKeyHash: string;
  /** Until when the old key still works; omit to cut it off at once. */
  previousValidUntil?: Date | null;
}

export interface ApiKeysRepository {
  create(input: CreateApiKeyInput): Promise<ApiKeyRow>;
  findById(id: string): Promise<ApiKeyRow | undefined>;
  /**
   * The key a presented hash authenticates as at `now`: its current hash, or its previous hash
   * while the rotation grace lasts. Revocation and expiry are the caller's decision (the row
   * says why it would fail), so the audit can tell "revoked" from "unknown".
   */
  findByHash(keyHash: string, now?: Date): Promise<ApiKeyRow | undefined>;
  listByOwner(ownerUserId: string): Promise<ApiKeyRow[]>;
  list(): Promise<ApiKeyRow[]>;
  rotate(id: string, input: RotateApiKeyInput): Promise<ApiKeyRow | undefined>;
  revoke(id: string): Promise<ApiKeyRow | undefined>;
  /** Not security-relevant (a lost update only makes the time older): not flushed. */
  touchLastUsed(id: string, at?: Date): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export function createApiKeysRepository(context: RepositoryContext): ApiKeysRepository {
  const { db } = context;
  return {
    create: (input) =>
      guardWrite(`API key "${input.name}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .insert(apiKeys)
            .values({
              name: input.name,
              keyHash: input.keyHash,
              role: input.role,
              description: input.description ?? null,
              databases: input.databases ?? null,
              tenants: input.tenants ?? null,
              ownerUserId: input.ownerUserId ?? null,
              expiresAt: input.expiresAt ?? null,
            })
            .returning();
          if (row === undefined) throw new Error('insert into api_keys returned no row');
          return row;
        }),
      ),
    findById: async (id) => (await db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0],
    findByHash: async (keyHash, now = new Date()) =>
      (
        await db
          .select()
          .from(apiKeys)
          .where(
            or(
              eq(apiKeys.keyHash, keyHash),
              and(eq(apiKeys.previousKeyHash, keyHash), gt(apiKeys.previousValidUntil, now)),
            ),
          )
          .limit(1)
      )[0],
    listByOwner: (ownerUserId) =>
      db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.ownerUserId, ownerUserId))
        .orderBy(apiKeys.createdAt, apiKeys.id),
    list: () => db.select().from(apiKeys).orderBy(apiKeys.createdAt, apiKeys.id),
    rotate: (id, input) =>
      guardWrite(`rotation of API key ${id}`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .update(apiKeys)
            .set({
              previousKeyHash: sql`${apiKeys.keyHash}`,
              previousValidUntil: input.previousValidUntil ?? null,
              keyHash: input.newKeyHash,
            })
            .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
            .returning();
          return row;
        }),
      ),
    revoke: (id) =>
      context.durably(async (tx) => {
        const [row] = await tx
          .update(apiKeys)
          .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())`, previousValidUntil: null })
          .where(eq(apiKeys.id, id))
          .returning();
        return row;
      }),
    touchLastUsed: async (id, at = new Date()) => {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
    delete: (id) =>
      context.durably(async (tx) => {
        const deleted = await tx.delete(apiKeys).where(eq(apiKeys.id, id)).returning();
        return deleted.length > 0;
      }),
  };
}
