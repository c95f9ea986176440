import { hashPassword } from '@cairn/crypto';
import type { SqlRepositories, SqlStore, UserRow } from '@cairn/storage';
import type { ApiKeyHasher } from '../api-keys/api-key-hasher.js';
import { type IssuedApiKey, issueApiKey, parseApiKeyRequest } from '../api-keys/manage-api-keys.js';
import { parsePassword, parseUsername } from '../users/account-rules.js';

/** The tenant the first users administer until others are created. */
export const DEFAULT_TENANT = 'default';

export interface BootstrapInput {
  readonly username: string;
  readonly password: string;
  readonly keyName: string;
}

export type BootstrapOutcome =
  | { readonly ok: true; readonly user: UserRow; readonly issued: IssuedApiKey }
  | { readonly ok: false; readonly reason: 'already-bootstrapped' };

/**
 * Creates the first user (an active superuser, admin of the default tenant) and its first API
 * key (admin role, unscoped) — only while no user exists. The check and the writes share one
 * durable transaction behind the first-user lock, so of two concurrent calls exactly one wins.
 */
export async function bootstrapFirstUser(
  sql: SqlStore,
  hasher: ApiKeyHasher,
  input: BootstrapInput,
): Promise<BootstrapOutcome> {
  const username = parseUsername(input.username);
  const password = parsePassword(input.password);
  const keyRequest = parseApiKeyRequest({ name: input.keyName, role: 'admin' });
  // Cheap refusal first: once bootstrapped, anonymous callers must not make us hash passwords.
  if ((await sql.users.count()) > 0) return { ok: false, reason: 'already-bootstrapped' };
  const passwordHash = await hashPassword(password);
  const created = await sql.durably(async (tx) => {
    await tx.users.lockFirstUser();
    if ((await tx.users.count()) > 0) return undefined;
    const user = await createSuperuser(tx, username, passwordHash);
    const issued = await issueApiKey(tx, hasher, keyRequest, user.id);
    return { user, issued };
  });
  return created === undefined
    ? { ok: false, reason: 'already-bootstrapped' }
    : { ok: true, ...created };
}

export interface SuperuserInput {
  readonly username: string;
  readonly password: string;
}

export type EnsureSuperuserOutcome =
  | { readonly outcome: 'created'; readonly user: UserRow }
  /** A user of that name exists; it is left exactly as it is (password included). */
  | { readonly outcome: 'exists'; readonly user: UserRow };

/** SUPERUSER / `cairn superuser`: creates that superuser if no user has the name. Idempotent. */
export async function ensureSuperuser(
  sql: SqlStore,
  input: SuperuserInput,
): Promise<EnsureSuperuserOutcome> {
  const username = parseUsername(input.username, 'SUPERUSER');
  const password = parsePassword(input.password, 'SUPERUSER_PASSWORD');
  const existing = await sql.users.findByUsername(username);
  if (existing !== undefined) return { outcome: 'exists', user: existing };
  const passwordHash = await hashPassword(password);
  return sql.durably(async (tx) => {
    await tx.users.lockFirstUser();
    const raced = await tx.users.findByUsername(username);
    if (raced !== undefined) return { outcome: 'exists', user: raced };
    return { outcome: 'created', user: await createSuperuser(tx, username, passwordHash) };
  });
}

async function createSuperuser(
  tx: SqlRepositories,
  username: string,
  passwordHash: string,
): Promise<UserRow> {
  const user = await tx.users.create({ username, passwordHash, isActive: true, isSuperuser: true });
  const tenant =
    (await tx.tenants.findByName(DEFAULT_TENANT)) ?? (await tx.tenants.create(DEFAULT_TENANT));
  await tx.tenants.setMembership(user.id, tenant.id, 'admin');
  return user;
}
