import { type AuditEventRow, type AuditOutcome, isStorageError } from '@cairn/storage';
import { CairnError } from '../errors.js';
import type { AuditSource } from '../identity/audit.js';
import type { Identity } from '../identity/identity.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';

/** Managed mode's services, or a clear error in the modes without accounts. */
export function requireIdentity(context: RequestContext): Identity {
  if (context.identity === undefined) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'users, API keys and the audit trail exist only in managed mode; start the server with AUTH_ENABLED=true',
    );
  }
  return context.identity;
}

export function auditSourceOf(context: RequestContext): AuditSource {
  return {
    actor: context.principal.kind === 'anonymous' ? null : context.principal.id,
    clientIp: context.clientAddress ?? null,
    requestId: context.requestId ?? null,
  };
}

const AuditOutcomeRef = builder.enumType('AuditOutcome', {
  values: ['success', 'failure', 'denied'] as const,
});

const AuditEventRef = builder.objectRef<AuditEventRow>('AuditEvent').implement({
  description: 'One recorded authentication, change or denial. Never holds a secret.',
  fields: (t) => ({
    id: t.id({ resolve: (event) => String(event.id) }),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
    action: t.exposeString('action', {
      description: 'e.g. user.create, apikey.revoke, auth.failure',
    }),
    outcome: t.field({
      type: AuditOutcomeRef,
      resolve: (event) => event.outcome as AuditOutcome,
    }),
    actor: t.exposeString('actor', {
      nullable: true,
      description: 'Principal id (user id, key:<id>, external:<subject>); null when anonymous.',
    }),
    target: t.exposeString('target', { nullable: true }),
    clientIp: t.exposeString('clientIp', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.details }),
  }),
});

interface AuditEventConnection {
  readonly nodes: AuditEventRow[];
  readonly endCursor: string | null;
}

const AuditEventConnectionRef = builder
  .objectRef<AuditEventConnection>('AuditEventConnection')
  .implement({
    description: 'A page of audit events, newest first.',
    fields: (t) => ({
      nodes: t.field({ type: [AuditEventRef], resolve: (c) => c.nodes }),
      hasNextPage: t.boolean({
        description: 'Older events remain.',
        resolve: (c) => c.endCursor !== null,
      }),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Pass as `after` for the next (older) page; null on the last page.',
      }),
    }),
  });

builder.queryField('auditEvents', (t) =>
  t.field({
    type: AuditEventConnectionRef,
    description:
      'The audit trail, newest first, a page at a time (managed mode). Superusers read all of it; an admin names a tenant it administers and reads the events about that tenant.',
    args: {
      first: t.arg.int(),
      after: t.arg.string(),
      tenant: t.arg.string({ description: 'Only events about this tenant (details.tenant).' }),
    },
    resolve: async (_root, args, context) => {
      const tenant = args.tenant ?? undefined;
      await context.authorize('auditEvents', tenant === undefined ? {} : { tenant });
      const identity = requireIdentity(context);
      const first = args.first ?? 50;
      // 500: larger pages exceed the query cost limit the armor plugin computes from `first`.
      if (!Number.isInteger(first) || first < 1 || first > 500) {
        throw new CairnError('BAD_USER_INPUT', 'first must be 1–500', { argument: 'first' });
      }
      let page: Awaited<ReturnType<Identity['sql']['auditEvents']['list']>>;
      try {
        page = await identity.sql.auditEvents.list({
          limit: first,
          ...(tenant === undefined ? {} : { tenant }),
          ...(args.after == null ? {} : { cursor: args.after }),
        });
      } catch (error) {
        if (isStorageError(error, 'INVALID_INPUT')) {
          throw new CairnError('BAD_USER_INPUT', error.message, { argument: 'after' });
        }
        throw error;
      }
      return { nodes: page.events, endCursor: page.nextCursor ?? null };
    },
  }),
);
