import { hashPassword } from '@cairn/crypto';
import type { Role } from '@cairn/policy';
import type { AuditEventRow, SqlStore, UserRow } from '@cairn/storage';
import { createLockout, type Lockout } from '../../../src/auth/lockout.js';
import type { AuditRecorder } from '../../../src/identity/audit.js';
import type { SessionIdentity } from '../../../src/identity/sessions/session-service.js';
import { createTokenService } from '../../../src/identity/tokens/create-token-service.js';

export const ISSUER = 'https://cairn.test';

/** Writes every event to the real audit table and waits for it on flush. */
export function createStoreAuditRecorder(sql: SqlStore): AuditRecorder {
  const pending = new Set<Promise<unknown>>();
  return {
    record(entry) {
      const write = sql.auditEvents.append({
        action: entry.action,
        outcome: entry.outcome,
        actor: entry.actor,
        target: entry.target ?? null,
        clientIp: entry.clientIp ?? null,
        requestId: entry.requestId ?? null,
        details: entry.details ?? null,
      });
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export interface SessionFixture {
  readonly identity: SessionIdentity;
  readonly lockout: Lockout;
  /**
   * Waits for pending audit writes and returns the newest event id: later events are the
   * test's own. (Ids, not times: PGlite's clock and Date.now() may differ by a millisecond.)
   */
  mark(): Promise<number>;
  /** Audit events recorded after `mark`, oldest first. */
  auditSince(mark: number): Promise<AuditEventRow[]>;
}

export function createSessionIdentity(
  sql: SqlStore,
  now: () => number,
  options: { lockoutLimit?: number; jwtSecret?: string } = {},
): SessionFixture {
  const lockout = createLockout({ limit: options.lockoutLimit ?? 1000, lockoutSeconds: 60, now });
  const audit = createStoreAuditRecorder(sql);
  const identity: SessionIdentity = {
    sql,
    tokens: createTokenService({
      sql,
      issuer: ISSUER,
      audience: ISSUER,
      lifetimeSeconds: 900,
      jwtSecret: options.jwtSecret,
      now,
    }),
    audit,
    lockout,
    settings: {
      newUserIsActive: false,
      accessTokenLifetimeSeconds: 900,
      refreshTokenLifetimeSeconds: 3600,
    },
  };
  return {
    identity,
    lockout,
    async mark() {
      await audit.flush();
      const { events } = await sql.auditEvents.list({ limit: 1 });
      return events[0]?.id ?? 0;
    },
    async auditSince(mark) {
      await audit.flush();
      const { events } = await sql.auditEvents.list({ limit: 1000 });
      return events.filter((event) => event.id > mark).reverse();
    },
  };
}

let counter = 0;

/** A user with a password, active unless told otherwise, optionally in a tenant. */
export async function createTestUser(
  sql: SqlStore,
  options: {
    password?: string;
    isActive?: boolean;
    tenant?: { name: string; role: Role };
    passwordHash?: string;
  } = {},
): Promise<UserRow & { password: string }> {
  counter += 1;
  const password = options.password ?? `password-${counter}-correct horse`;
  const user = await sql.users.create({
    username: `user-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    passwordHash: options.passwordHash ?? (await hashPassword(password)),
    isActive: options.isActive ?? true,
  });
  if (options.tenant !== undefined) {
    const tenant =
      (await sql.tenants.findByName(options.tenant.name)) ??
      (await sql.tenants.create(options.tenant.name));
    await sql.tenants.setMembership(user.id, tenant.id, options.tenant.role);
  }
  return { ...user, password };
}
