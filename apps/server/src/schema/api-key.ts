import type { Resource } from '@cairn/policy';
import type { ApiKeyRow } from '@cairn/storage';
import { CairnError } from '../errors.js';
import {
  type IssuedApiKey,
  issueApiKey,
  parseApiKeyRequest,
  parseGraceSeconds,
  rotateApiKey,
} from '../identity/api-keys/manage-api-keys.js';
import { isUuid } from '../identity/users/account-rules.js';
import { auditSourceOf, requireIdentity } from './audit.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';
import { RoleRef } from './principal.js';

export const ApiKeyRef = builder.objectRef<ApiKeyRow>('ApiKey').implement({
  description: 'An API key: its secret is never shown again after it is issued, only this.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    role: t.field({ type: RoleRef, resolve: (key) => key.role }),
    databases: t.exposeStringList('databases', {
      nullable: true,
      description: 'Databases the key is limited to; null = every one its owner may use.',
    }),
    tenants: t.exposeStringList('tenants', {
      nullable: true,
      description: 'Tenants the key is limited to; null = every one its owner belongs to.',
    }),
    ownerUserId: t.exposeID('ownerUserId', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (key) => key.createdAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (key) => key.expiresAt }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Updated at most once a minute.',
      resolve: (key) => key.lastUsedAt,
    }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (key) => key.revokedAt }),
    previousSecretValidUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'After a rotation: until when the previous secret still works.',
      resolve: (key) => key.previousValidUntil,
    }),
    active: t.boolean({
      description: 'Neither revoked nor expired.',
      resolve: (key) =>
        key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > Date.now()),
    }),
  }),
});

export const IssuedApiKeyRef = builder.objectRef<IssuedApiKey>('IssuedApiKey').implement({
  description: 'A new secret: `apiKey` is shown this once and stored only as a keyed hash.',
  fields: (t) => ({
    apiKey: t.exposeString('apiKey'),
    key: t.field({ type: ApiKeyRef, resolve: (issued) => issued.key }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.field({ type: RoleRef, required: true }),
    databases: t.stringList(),
    tenants: t.stringList(),
    expiresAt: t.field({ type: 'DateTime' }),
    description: t.string(),
  }),
});

function ownUserId(context: RequestContext): string | undefined {
  const access = context.principal.access;
  if (access?.kind === 'user') return access.userId;
  if (access?.kind === 'api-key') return access.owner.userId;
  return undefined;
}

/** The user a new key belongs to: the caller's own account. */
function callerUserId(context: RequestContext): string {
  const own = ownUserId(context);
  if (own !== undefined) return own;
  throw new CairnError(
    'FORBIDDEN',
    'API keys belong to a user of this server; log in or use an API key to create one',
  );
}

/**
 * What the policy needs to know of an existing key: its own scope, and its owner's tenants and
 * superuser flag (an admin manages keys only inside its tenants, never a superuser's).
 */
async function keyResource(context: RequestContext, key: ApiKeyRow): Promise<Resource> {
  const owner =
    key.ownerUserId === null
      ? undefined
      : await requireIdentity(context).users.load(key.ownerUserId);
  return {
    role: key.role,
    databases: key.databases,
    tenants: key.tenants,
    ...(key.ownerUserId === null ? {} : { ownerUserId: key.ownerUserId }),
    ...(owner === undefined
      ? {}
      : {
          ownerTenants: owner.identity.memberships.map((m) => m.tenant),
          targetSuperuser: owner.identity.superuser,
        }),
  };
}

async function findKey(context: RequestContext, id: string): Promise<ApiKeyRow | undefined> {
  const identity = requireIdentity(context);
  return isUuid(id) ? identity.sql.apiKeys.findById(id) : undefined;
}

const NOT_FOUND = () =>
  new CairnError('NOT_FOUND', 'no API key with that id; list them with apiKeys');

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'API keys the caller may manage (never their secrets).',
    resolve: async (_root, _args, context) => {
      // Everyone with a role may list their own keys; admins also those of their tenants.
      const own = ownUserId(context);
      const tenant = context.principal.tenant;
      await context.authorize(
        'apiKeys',
        own !== undefined ? { ownerUserId: own } : tenant === null ? {} : { tenant },
      );
      const identity = requireIdentity(context);
      const visible: ApiKeyRow[] = [];
      for (const key of await identity.sql.apiKeys.list()) {
        // Listed: one's own keys, and the keys one may manage (revoke) — nothing else.
        const mine = own !== undefined && key.ownerUserId === own;
        if (
          mine ||
          (await context.authorize.allows('revokeApiKey', await keyResource(context, key)))
        ) {
          visible.push(key);
        }
      }
      return visible;
    },
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: IssuedApiKeyRef,
    description: 'Issues a key for the caller’s account. The secret is returned this once.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const request = parseApiKeyRequest(input);
      const ownerUserId = callerUserId(context);
      await context.authorize('createApiKey', {
        role: request.role,
        databases: request.databases,
        tenants: request.tenants,
        ownerUserId,
      });
      const identity = requireIdentity(context);
      const issued = await issueApiKey(identity.sql, identity.apiKeyHasher, request, ownerUserId);
      identity.audit.record({
        action: 'apikey.create',
        outcome: 'success',
        ...auditSourceOf(context),
        target: `apikey:${issued.key.id}`,
        details: {
          name: issued.key.name,
          role: issued.key.role,
          databases: issued.key.databases,
          tenants: issued.key.tenants,
          ownerUserId,
          expiresAt: issued.key.expiresAt?.toISOString() ?? null,
        },
      });
      return issued;
    },
  }),
);

builder.mutationField('rotateApiKey', (t) =>
  t.field({
    type: IssuedApiKeyRef,
    description:
      'Gives the key a new secret (returned this once); the old one keeps working for graceSeconds (default 0).',
    args: { id: t.arg.id({ required: true }), graceSeconds: t.arg.int() },
    resolve: async (_root, args, context) => {
      const graceSeconds = parseGraceSeconds(args.graceSeconds);
      const key = await findKey(context, String(args.id));
      await context.authorize(
        'rotateApiKey',
        key === undefined ? {} : await keyResource(context, key),
      );
      const identity = requireIdentity(context);
      if (key === undefined) throw NOT_FOUND();
      const issued = await rotateApiKey(identity.sql, identity.apiKeyHasher, key.id, graceSeconds);
      if (issued === undefined) {
        throw new CairnError('CONFLICT', 'a revoked API key cannot be rotated; create a new one');
      }
      identity.apiKeys.forget(key.id);
      identity.audit.record({
        action: 'apikey.rotate',
        outcome: 'success',
        ...auditSourceOf(context),
        target: `apikey:${key.id}`,
        details: { graceSeconds },
      });
      return issued;
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes the key: it stops working at once on this server, within 1 s on others.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const key = await findKey(context, String(args.id));
      await context.authorize(
        'revokeApiKey',
        key === undefined ? {} : await keyResource(context, key),
      );
      const identity = requireIdentity(context);
      if (key === undefined) throw NOT_FOUND();
      const revoked = await identity.sql.apiKeys.revoke(key.id);
      if (revoked === undefined) throw NOT_FOUND();
      identity.apiKeys.forget(key.id);
      identity.audit.record({
        action: 'apikey.revoke',
        outcome: 'success',
        ...auditSourceOf(context),
        target: `apikey:${key.id}`,
      });
      return revoked;
    },
  }),
);
