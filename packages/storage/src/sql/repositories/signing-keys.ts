import { desc, eq, isNull, sql } from 'drizzle-orm';
import type { SqlDatabase } from '../database.js';
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

export type ActiveSigningKey = SigningKeyRecord & { privateKey: string };

export interface SigningKeysRepository {
  create(input: CreateSigningKeyInput): Promise<SigningKeyRecord>;
  /**
   * Stores `input` only if no unretired key exists, else returns that key. Serialised across
   * servers by a transaction-scoped advisory lock, so concurrent first starts agree on one key.
   */
  createIfNoneActive(
    input: CreateSigningKeyInput,
  ): Promise<{ readonly created: boolean; readonly key: ActiveSigningKey }>;
  /** Retires every unretired key and stores `input` as the active one, in one transaction. */
  rotate(input: CreateSigningKeyInput): Promise<SigningKeyRecord>;
  /** Public parts of every key, retired ones included (they verify tokens still alive). */
  list(): Promise<SigningKeyRecord[]>;
  /** The newest key that is not retired, with its opened private key. */
  active(): Promise<ActiveSigningKey | undefined>;
  retire(kid: string): Promise<SigningKeyRecord | undefined>;
  delete(kid: string): Promise<boolean>;
  /**
   * Opens every private key with the key ring and seals it again under its primary (master-key
   * rotation): afterwards the old master key is no longer needed. Returns how many.
   */
  reseal(): Promise<number>;
}

// One lock id for every change of which key is active (pg_advisory_xact_lock takes a bigint).
const ACTIVE_KEY_LOCK = sql`select pg_advisory_xact_lock(${0x6361_6972_6e4b})`;

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
  const insert = async (tx: SqlDatabase, input: CreateSigningKeyInput) => {
    const sealedPrivateKey = box().seal(input.privateKey, signingKeyContext(input.kid));
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
  };
  const readActive = async (from: SqlDatabase): Promise<ActiveSigningKey | undefined> => {
    const [row] = await from
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
  };
  return {
    create: (input) =>
      guardWrite(`signing key "${input.kid}"`, () => context.durably((tx) => insert(tx, input))),
    createIfNoneActive: (input) =>
      guardWrite(`signing key "${input.kid}"`, () =>
        context.durably(async (tx) => {
          await tx.execute(ACTIVE_KEY_LOCK);
          const existing = await readActive(tx);
          if (existing !== undefined) return { created: false, key: existing };
          const record = await insert(tx, input);
          return { created: true, key: { ...record, privateKey: input.privateKey } };
        }),
      ),
    rotate: (input) =>
      guardWrite(`signing key "${input.kid}"`, () =>
        context.durably(async (tx) => {
          await tx.execute(ACTIVE_KEY_LOCK);
          await tx
            .update(signingKeys)
            .set({ retiredAt: sql`now()` })
            .where(isNull(signingKeys.retiredAt));
          return insert(tx, input);
        }),
      ),
    list: async () =>
      (await db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt))).map(toRecord),
    active: () => readActive(db),
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
    reseal: () =>
      context.durably(async (tx) => {
        const rows = await tx.select().from(signingKeys);
        for (const row of rows) {
          const where = signingKeyContext(row.kid);
          const privateKey = box().open(row.sealedPrivateKey, where, `signing key "${row.kid}"`);
          await tx
            .update(signingKeys)
            .set({ sealedPrivateKey: box().seal(privateKey, where) })
            .where(eq(signingKeys.kid, row.kid));
        }
        return rows.length;
      }),
  };
}
