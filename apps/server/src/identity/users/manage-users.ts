import { hashPassword } from '@cairn/crypto';
import type { Role } from '@cairn/policy';
import { isStorageError, type SqlStore, type UserRow } from '@cairn/storage';
import { parseTenantName } from '../../databases/names.js';
import { CairnError } from '../../errors.js';
import { parseEmail, parsePassword, parseUsername } from './account-rules.js';
import { ensureTenant } from './tenants.js';

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly email?: string | null | undefined;
  readonly role: Role;
  readonly tenant: string;
  readonly isActive: boolean;
  readonly isSuperuser: boolean;
}

export interface UserChanges {
  readonly email?: string | null | undefined;
  readonly password?: string | null | undefined;
  readonly isActive?: boolean | null | undefined;
  readonly isSuperuser?: boolean | null | undefined;
  /** Adds the user to this tenant, or changes their role there (with `role`). */
  readonly tenant?: string | null | undefined;
  readonly role?: Role | null | undefined;
}

/** Validates before anything is looked up, so errors say nothing about who exists. */
export function parseNewUser(input: NewUser): NewUser {
  return {
    ...input,
    username: parseUsername(input.username, 'input.username'),
    password: parsePassword(input.password, 'input.password'),
    email: input.email == null ? null : parseEmail(input.email, 'input.email'),
    tenant: parseTenantName(input.tenant, 'input.tenant'),
  };
}

export function parseUserChanges(input: UserChanges): UserChanges {
  if (input.role != null && input.tenant == null) {
    throw new CairnError('BAD_USER_INPUT', 'input.role needs input.tenant: a role is per tenant', {
      argument: 'input.role',
    });
  }
  return {
    ...input,
    ...(input.password != null
      ? { password: parsePassword(input.password, 'input.password') }
      : {}),
    ...(input.email != null ? { email: parseEmail(input.email, 'input.email') } : {}),
    ...(input.tenant != null ? { tenant: parseTenantName(input.tenant, 'input.tenant') } : {}),
  };
}

/** Names of the fields a change touches (for the audit trail: never their values). */
export function changedFields(changes: UserChanges): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name]) => name)
    .sort();
}

export async function createUser(sql: SqlStore, input: NewUser): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  const tenant = await ensureTenant(sql, input.tenant);
  try {
    return await sql.durably(async (tx) => {
      const user = await tx.users.create({
        username: input.username,
        passwordHash,
        email: input.email ?? null,
        isActive: input.isActive,
        isSuperuser: input.isSuperuser,
      });
      await tx.tenants.setMembership(user.id, tenant.id, input.role);
      return user;
    });
  } catch (error) {
    if (isStorageError(error, 'CONFLICT')) {
      throw new CairnError('CONFLICT', 'that username is taken; choose another');
    }
    throw error;
  }
}

/** Applies the changes in one durable transaction; undefined when the user does not exist. */
export async function updateUser(
  sql: SqlStore,
  userId: string,
  changes: UserChanges,
): Promise<UserRow | undefined> {
  const passwordHash = changes.password == null ? undefined : await hashPassword(changes.password);
  const tenant = changes.tenant == null ? undefined : await ensureTenant(sql, changes.tenant);
  return sql.durably(async (tx) => {
    let row = await tx.users.findById(userId);
    if (row === undefined) return undefined;
    const flags = {
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.isActive != null ? { isActive: changes.isActive } : {}),
      ...(changes.isSuperuser != null ? { isSuperuser: changes.isSuperuser } : {}),
    };
    if (Object.keys(flags).length > 0) row = (await tx.users.update(userId, flags)) ?? row;
    // setPassword also moves sessionsValidAfter: every session of the old password ends.
    if (passwordHash !== undefined) row = (await tx.users.setPassword(userId, passwordHash)) ?? row;
    if (tenant !== undefined) {
      const current = (await tx.tenants.membershipsOfUser(userId)).find(
        (membership) => membership.tenantId === tenant.id,
      );
      // Naming a tenant without a role adds the user as reader, or keeps the role they have.
      const role = changes.role ?? current?.role ?? 'reader';
      if (current?.role !== role) await tx.tenants.setMembership(userId, tenant.id, role);
    }
    return row;
  });
}
