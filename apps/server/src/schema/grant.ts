import { PERMISSIONS, type Permission, type Role } from '@cairn/policy';
import type { GrantRow, SqlStore } from '@cairn/storage';
import { parseDatabaseName, parseTenantName } from '../databases/names.js';
import { CairnError } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';
import { RoleRef } from './principal.js';

interface GrantView {
  readonly database: string;
  readonly permission: Permission;
  readonly userId: string | null;
  readonly role: Role | null;
  readonly tenant: string | null;
  readonly createdAt: Date;
}

const PermissionRef = builder.enumType('Permission', {
  description: 'What a grant gives on one database: read, write, delete facts and rules, share.',
  values: PERMISSIONS,
});

const GrantRef = builder.objectRef<GrantView>('Grant').implement({
  description: 'A permission on one database, given to a user, a role, or a tenant’s members.',
  fields: (t) => ({
    database: t.exposeString('database'),
    permission: t.field({ type: PermissionRef, resolve: (grant) => grant.permission }),
    userId: t.exposeID('userId', { nullable: true }),
    role: t.field({ type: RoleRef, nullable: true, resolve: (grant) => grant.role }),
    tenant: t.exposeString('tenant', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (grant) => grant.createdAt }),
  }),
});

const GrantInputRef = builder.inputType('GrantInput', {
  description: 'A database, a permission, and exactly one of userId, role or tenant.',
  fields: (t) => ({
    database: t.string({ required: true }),
    permission: t.field({ type: PermissionRef, required: true }),
    userId: t.id(),
    role: t.field({ type: RoleRef }),
    tenant: t.string(),
  }),
});

type Subject = { userId: string } | { role: Role } | { tenant: string };

interface ParsedGrant {
  readonly database: string;
  readonly permission: Permission;
  readonly subject: Subject;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseGrantInput(input: {
  database: string;
  permission: Permission;
  userId?: string | number | null | undefined;
  role?: Role | null | undefined;
  tenant?: string | null | undefined;
}): ParsedGrant {
  const given = (['userId', 'role', 'tenant'] as const).filter((key) => input[key] != null);
  if (given.length !== 1) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `input needs exactly one of userId, role or tenant (got ${given.length === 0 ? 'none' : given.join(', ')})`,
      { argument: 'input' },
    );
  }
  const database = parseDatabaseName(input.database, 'input.database');
  let subject: Subject;
  if (input.userId != null) {
    const userId = String(input.userId);
    if (!UUID.test(userId)) {
      throw new CairnError('BAD_USER_INPUT', 'input.userId must be a user id (a UUID)', {
        argument: 'input.userId',
      });
    }
    subject = { userId };
  } else if (input.role != null) {
    subject = { role: input.role };
  } else {
    subject = { tenant: parseTenantName(String(input.tenant), 'input.tenant') };
  }
  return { database, permission: input.permission, subject };
}

function managedIdentity(context: RequestContext): Identity {
  if (context.identity === undefined) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'grants exist only in managed mode (AUTH_ENABLED=true); without it every caller may do everything',
    );
  }
  return context.identity;
}

function databaseId(context: RequestContext, name: string): string {
  return context.registry.get(name).id;
}

async function toGrantView(sql: SqlStore, database: string, row: GrantRow): Promise<GrantView> {
  const tenant =
    row.tenantId === null ? null : ((await sql.tenants.findById(row.tenantId))?.name ?? null);
  return {
    database,
    permission: row.permission,
    userId: row.userId,
    role: row.role,
    tenant,
    createdAt: row.createdAt,
  };
}

/** The store keys a grant by ids: a tenant is created on first use, like a membership's. */
async function storedTarget(
  sql: SqlStore,
  subject: Subject,
): Promise<{ userId: string } | { role: Role } | { tenantId: string }> {
  if ('role' in subject) return subject;
  if ('userId' in subject) {
    if ((await sql.users.findById(subject.userId)) === undefined) {
      throw new CairnError('NOT_FOUND', 'input.userId names no user', {
        argument: 'input.userId',
      });
    }
    return subject;
  }
  const existing = await sql.tenants.findByName(subject.tenant);
  if (existing !== undefined) return { tenantId: existing.id };
  try {
    return { tenantId: (await sql.tenants.create(subject.tenant)).id };
  } catch (error) {
    // Another request created it first.
    const created = await sql.tenants.findByName(subject.tenant);
    if (created === undefined) throw error;
    return { tenantId: created.id };
  }
}

/** A grant to a tenant's members is decided in that tenant (see @cairn/policy). */
function grantResource(grant: ParsedGrant) {
  return {
    database: grant.database,
    permission: grant.permission,
    ...('tenant' in grant.subject ? { tenant: grant.subject.tenant } : {}),
  };
}

function audit(context: RequestContext, identity: Identity, action: string, grant: ParsedGrant) {
  identity.audit.record({
    action,
    outcome: 'success',
    actor: context.principal.id,
    target: grant.database,
    clientIp: context.clientAddress ?? null,
    requestId: context.requestId ?? null,
    details: { database: grant.database, permission: grant.permission, ...grant.subject },
  });
}

builder.queryField('grants', (t) =>
  t.field({
    type: [GrantRef],
    description: 'Grants on one database (needs share on it).',
    args: { database: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const database = parseDatabaseName(args.database);
      await context.authorize('grants', { database });
      const { sql } = managedIdentity(context);
      const rows = await sql.grants.listForDatabase(databaseId(context, database));
      return Promise.all(rows.map((row) => toGrantView(sql, database, row)));
    },
  }),
);

builder.mutationField('grant', (t) =>
  t.field({
    type: GrantRef,
    description: 'Gives a permission on a database; idempotent. Nobody gives what they lack.',
    args: { input: t.arg({ type: GrantInputRef, required: true }) },
    resolve: async (_root, args, context) => {
      const grant = parseGrantInput(args.input);
      await context.authorize('grant', grantResource(grant));
      const identity = managedIdentity(context);
      const row = await identity.sql.grants.grant({
        databaseId: databaseId(context, grant.database),
        permission: grant.permission,
        ...(await storedTarget(identity.sql, grant.subject)),
      });
      audit(context, identity, 'grant.created', grant);
      return toGrantView(identity.sql, grant.database, row);
    },
  }),
);

builder.mutationField('revoke', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Takes back a grant; false when there was none.',
    args: { input: t.arg({ type: GrantInputRef, required: true }) },
    resolve: async (_root, args, context) => {
      const grant = parseGrantInput(args.input);
      await context.authorize('revoke', grantResource(grant));
      const identity = managedIdentity(context);
      if ('tenant' in grant.subject) {
        const tenant = await identity.sql.tenants.findByName(grant.subject.tenant);
        if (tenant === undefined) return false;
      }
      const revoked = await identity.sql.grants.revoke({
        databaseId: databaseId(context, grant.database),
        permission: grant.permission,
        ...(await storedTarget(identity.sql, grant.subject)),
      });
      if (revoked) audit(context, identity, 'grant.revoked', grant);
      return revoked;
    },
  }),
);
