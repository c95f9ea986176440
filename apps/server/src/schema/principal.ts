import { ROLES, type Role } from '@cairn/policy';
import type { Principal } from '../auth/principal.js';
import { builder } from './builder.js';

/** reader: ask, list, read · writer: + tell, retract, teach, import · admin: + keys, users, databases. */
export const RoleRef = builder.enumType('Role', {
  description: 'What a user may do in a tenant, or what an API key may do.',
  values: ROLES,
});

function rolesOf(principal: Principal): Role[] {
  const access = principal.access;
  switch (access?.kind) {
    case undefined:
      return [];
    case 'local':
    case 'shared-api-key':
      return ['admin'];
    case 'user':
      return [...new Set(access.memberships.map((membership) => membership.role))];
    case 'api-key':
      return [access.role];
    case 'external-token':
      return [...access.roles];
  }
}

function isSuperuser(principal: Principal): boolean {
  const access = principal.access;
  switch (access?.kind) {
    case 'local':
    case 'shared-api-key':
      return true;
    case 'user':
      return access.superuser;
    case 'api-key':
      return access.owner.superuser;
    default:
      return false;
  }
}

const PrincipalRef = builder.objectRef<Principal>('Principal').implement({
  description: 'Who a request acts as.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', {
      description:
        '"local" (authentication disabled), "shared-api-key" (legacy API_KEY mode), or in managed mode "user" (access token), "api-key" or "external-token".',
    }),
    tenant: t.exposeString('tenant', { nullable: true }),
    roles: t.field({
      type: [RoleRef],
      description: "The principal's roles (a user's across its tenants; a key's one role).",
      resolve: rolesOf,
    }),
    superuser: t.boolean({
      description:
        'Whether the user behind the principal is a superuser (an API key’s role and scopes still narrow what it may do).',
      resolve: isSuperuser,
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: PrincipalRef,
    nullable: true,
    resolve: (_root, _args, context) => context.principal,
  }),
);
