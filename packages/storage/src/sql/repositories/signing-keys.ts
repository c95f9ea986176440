import { desc, eq, isNull, sql } from 'drizzle-orm';
import { signingKeys } from '../schema/index.js';
import type { SecretBox } from '../secret-box.js';
import { guardWrite } from '../sql-errors.js';
import type { RepositoryContext } from './context.js';

export interface SigningKeyRecord {
  kid: string;
  algorithm: string;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface CreateSigningKeyInput {
  kid: string;
  algorithm: string;
  publicJwk: Record<string, unknown>;
  /** The private key in any text form (JWK JSON, PKCS#8 PEM); sealed before it is stored. */
  privateKey: string;
}

export interface SigningKeysRepository {
  create(input: CreateSigningKeyInput): Promise<SigningKeyRecord>;
  /** Public parts of every key, retired ones included (they verify tokens still alive). */
  list(): Promise<SigningKeyRecord[]>;
  /** The newest key that is not retired, with its opened private key. */
  active(): Promise<(SigningKeyRecord & { privateKey: string }) | undefined>;
  retire(kid: string): Promise<SigningKeyRecord | undefined>;
  delete(kid: string): Promise<boolean>;
}

export function signingKeyContext(kid: string): string {
  return JSON.stringify(['cairn.sql.signing-key.v1', kid]);
}

function toRecord(row: typeof signingKeys.$inferSelect): SigningKeyRecord {
  return {
    kid: row.kid,
    algorithm: row.algorithm,
    publicJwk: row.publicJwk,
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

export function createSigningKeysRepository(
  context: RepositoryContext,
  box: () => SecretBox,
): SigningKeysRepository {
  const { db } = context;
  return {
    create: async (input) => {
      const sealedPrivateKey = box().seal(input.privateKey, signingKeyContext(input.kid));
      return guardWrite(`signing key "${input.kid}"`, () =>
        context.durably(async (tx) => {
          const [row] = await tx
            .insert(signingKeys)
            .values({
              kid: input.kid,
              algorithm: input.algorithm,
              publicJwk: input.publicJwk,
              sealedPrivateKey,
            })
            .returning();
          if (row === undefined) throw new Error('insert into signing_keys returned no row');
          return toRecord(row);
        }),
      );
    },
    list: async () =>
      (await db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt))).map(toRecord),
    active: async () => {
      const [row] = await db
        .select()
        .from(signingKeys)
        .where(isNull(signingKeys.retiredAt))
        .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
        .limit(1);
      if (row === undefined) return undefined;
      const privateKey = box().open(
        row.sealedPrivateKey,
        signingKeyContext(row.kid),
        `signing key "${row.kid}"`,
      );
      return { ...toRecord(row), privateKey };
    },
    retire: (kid) =>
      context.durably(async (tx) => {
        const [row] = await tx
          .update(signingKeys)
          .set({ retiredAt: sql`coalesce(${signingKeys.retiredAt}, now())` })
          .where(eq(signingKeys.kid, kid))
          .returning();
        return row === undefined ? undefined : toRecord(row);
      }),
    delete: (kid) =>
      context.durably(async (tx) => {
        const deleted = await tx.delete(signingKeys).where(eq(signingKeys.kid, kid)).returning();
        return deleted.length > 0;
      }),
  };
}
