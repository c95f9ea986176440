import type { AccountField, Membership, Resource } from '@cairn/policy';
import { CairnError } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import { isUuid } from '../identity/users/account-rules.js';
import {
  changedFields,
  createUser,
  parseNewUser,
  parseUserChanges,
  type UserChanges,
  updateUser,
} from '../identity/users/manage-users.js';
import type { DirectoryUser } from '../identity/users/user-directory.js';
import { auditSourceOf, requireIdentity } from './audit.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';
import { RoleRef } from './principal.js';

const MembershipRef = builder.objectRef<Membership>('Membership').implement({
  description: 'A user’s role in one tenant.',
  fields: (t) => ({
    tenant: t.exposeString('tenant'),
    role: t.field({ type: RoleRef, resolve: (membership) => membership.role }),
  }),
});

const UserRef = builder.objectRef<DirectoryUser>('User').implement({
  description: 'An account of managed mode. Its password hash never leaves the server.',
  fields: (t) => ({
    id: t.id({ resolve: (user) => user.row.id }),
    username: t.string({ resolve: (user) => user.row.username }),
    email: t.string({ nullable: true, resolve: (user) => user.row.email }),
    isActive: t.boolean({ resolve: (user) => user.row.isActive }),
    isSuperuser: t.boolean({ resolve: (user) => user.row.isSuperuser }),
    memberships: t.field({
      type: [MembershipRef],
      resolve: (user) => [...user.identity.memberships],
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (user) => user.row.createdAt }),
    passwordChangedAt: t.field({
      type: 'DateTime',
      resolve: (user) => user.row.passwordChangedAt,
    }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true, description: 'At least 12 characters.' }),
    email: t.string(),
    role: t.field({ type: RoleRef, description: 'Role in `tenant` (default reader).' }),
    tenant: t.string({ description: 'Default: the caller’s tenant, else "default".' }),
    isActive: t.boolean({ description: 'Default: NEW_USER_IS_ACTIVE (false).' }),
    isSuperuser: t.boolean(),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    email: t.string(),
    password: t.string({ description: 'A new password; ends every session of the user.' }),
    isActive: t.boolean({ description: 'false ends every session and stops the user’s keys.' }),
    isSuperuser: t.boolean(),
    tenant: t.string({ description: 'Adds the user to this tenant (or changes the role there).' }),
    role: t.field({ type: RoleRef, description: 'Role in `tenant` (default: kept, or reader).' }),
  }),
});

async function loadFresh(identity: Identity, userId: string): Promise<DirectoryUser> {
  identity.users.forget(userId);
  const user = await identity.users.load(userId);
  if (user === undefined) throw new CairnError('NOT_FOUND', 'no user with that id');
  return user;
}

/** The tenant a change concerns: the one named, else one the caller shares with the user. */
function tenantOf(user: DirectoryUser | undefined, context: RequestContext): string | undefined {
  const memberships = user?.identity.memberships ?? [];
  const shared = memberships.find((m) => m.tenant === context.principal.tenant);
  return (shared ?? memberships[0])?.tenant;
}

const ACCOUNT_FIELD_OF: Record<keyof UserChanges, AccountField> = {
  email: 'email',
  password: 'password',
  isActive: 'isActive',
  isSuperuser: 'superuser',
  tenant: 'tenant',
  role: 'role',
};

/** The policy's names for what an update changes (a user may change some of their own). */
function accountFieldsOf(changes: UserChanges): AccountField[] {
  return (Object.keys(ACCOUNT_FIELD_OF) as (keyof UserChanges)[])
    .filter((key) => changes[key] !== undefined && changes[key] !== null)
    .map((key) => ACCOUNT_FIELD_OF[key]);
}

builder.queryField('users', (t) =>
  t.field({
    type: [UserRef],
    description: 'Users the caller may manage.',
    resolve: async (_root, _args, context) => {
      const tenant = context.principal.tenant;
      await context.authorize('users', tenant === null ? {} : { tenant });
      const identity = requireIdentity(context);
      const visible: DirectoryUser[] = [];
      for (const row of await identity.sql.users.list()) {
        const user = await identity.users.load(row.id);
        if (user === undefined) continue;
        const resources: Resource[] = [
          { targetUserId: row.id, superuser: row.isSuperuser },
          ...user.identity.memberships.map((m) => ({
            targetUserId: row.id,
            tenant: m.tenant,
            superuser: row.isSuperuser,
          })),
        ];
        for (const resource of resources) {
          if (await context.authorize.allows('users', resource)) {
            visible.push(user);
            break;
          }
        }
      }
      return visible;
    },
  }),
);

builder.mutationField('createUser', (t) =>
  t.field({
    type: UserRef,
    description: 'Creates a user with a role in one tenant.',
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const identity = requireIdentity(context);
      // Everything is checked before anything is looked up: the errors a caller can provoke
      // say nothing about which usernames exist, except CONFLICT to those allowed to create.
      const user = parseNewUser({
        username: input.username,
        password: input.password,
        email: input.email,
        role: input.role ?? 'reader',
        tenant: input.tenant ?? context.principal.tenant ?? 'default',
        isActive: input.isActive ?? identity.settings.newUserIsActive,
        isSuperuser: input.isSuperuser ?? false,
      });
      await context.authorize('createUser', {
        tenant: user.tenant,
        role: user.role,
        superuser: user.isSuperuser,
      });
      const row = await createUser(identity.sql, user);
      identity.audit.record({
        action: 'user.create',
        outcome: 'success',
        ...auditSourceOf(context),
        target: `user:${row.id}`,
        details: {
          username: row.username,
          tenant: user.tenant,
          role: user.role,
          isActive: row.isActive,
          isSuperuser: row.isSuperuser,
        },
      });
      return loadFresh(identity, row.id);
    },
  }),
);

builder.mutationField('updateUser', (t) =>
  t.field({
    type: UserRef,
    description:
      'Activates or deactivates a user, changes the superuser flag, a tenant role or the password. Deactivation and a new password end every session at once.',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateUserInput, required: true }),
    },
    resolve: async (_root, args, context) => {
      const identity = requireIdentity(context);
      const changes = parseUserChanges(args.input);
      const id = String(args.id);
      const target = isUuid(id) ? await identity.users.load(id) : undefined;
      const tenant = changes.tenant ?? tenantOf(target, context);
      await context.authorize('updateUser', {
        targetUserId: id,
        changes: accountFieldsOf(changes),
        ...(target === undefined ? {} : { targetSuperuser: target.identity.superuser }),
        ...(tenant === undefined ? {} : { tenant }),
        ...(changes.role == null ? {} : { role: changes.role }),
        ...(changes.isSuperuser == null ? {} : { superuser: changes.isSuperuser }),
      });
      if (target === undefined) throw new CairnError('NOT_FOUND', 'no user with that id');
      const row = await updateUser(identity.sql, id, changes);
      if (row === undefined) throw new CairnError('NOT_FOUND', 'no user with that id');
      identity.audit.record({
        action: 'user.update',
        outcome: 'success',
        ...auditSourceOf(context),
        target: `user:${id}`,
        details: {
          changed: changedFields(changes),
          ...(changes.isActive == null ? {} : { isActive: changes.isActive }),
          ...(changes.isSuperuser == null ? {} : { isSuperuser: changes.isSuperuser }),
          ...(changes.tenant == null ? {} : { tenant: changes.tenant }),
          ...(changes.role == null ? {} : { role: changes.role }),
        },
      });
      return loadFresh(identity, id);
    },
  }),
);
