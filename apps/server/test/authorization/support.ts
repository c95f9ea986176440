// An app whose callers are principals built directly (no credentials), with the real policy,
// the real grant loader on the test store, and the denials it records.
import type { Principal as AccessPrincipal, Membership, Role, UserIdentity } from '@cairn/policy';
import { type App, createApp } from '../../src/app/create-app.js';
import { createAuthorizer, type Denial } from '../../src/auth/authorize.js';
import type { Principal } from '../../src/auth/principal.js';
import { createGrantLoader } from '../../src/auth/stored-grants.js';
import { CairnError } from '../../src/errors.js';
import type { Identity } from '../../src/identity/identity.js';
import {
  DEFAULT_KNOWLEDGE_SETTINGS,
  type KnowledgeSettings,
} from '../../src/knowledge/settings.js';
import { createMetrics } from '../../src/observability/metrics.js';
import {
  createCapturedLogger,
  type GraphqlResult,
  graphql,
  type TestStore,
} from '../support/test-server.js';

export const PRINCIPAL_HEADER = 'x-test-principal';

export function userPrincipal(
  userId: string,
  memberships: readonly Membership[],
  superuser = false,
): Principal {
  const identity: UserIdentity = { userId, superuser, memberships };
  return {
    id: userId,
    name: userId,
    kind: 'user',
    tenant: memberships[0]?.tenant ?? null,
    access: { kind: 'user', ...identity },
  };
}

export function keyPrincipal(
  owner: UserIdentity,
  role: Role,
  scope: { databases?: readonly string[]; tenants?: readonly string[] } = {},
): Principal {
  const access: AccessPrincipal = {
    kind: 'api-key',
    keyId: `key-of-${owner.userId}`,
    owner,
    role,
    databases: scope.databases ?? null,
    tenants: scope.tenants ?? null,
  };
  return {
    id: `key:${owner.userId}`,
    name: `key of ${owner.userId}`,
    kind: 'api-key',
    tenant: scope.tenants?.[0] ?? owner.memberships[0]?.tenant ?? null,
    access,
  };
}

export function externalPrincipal(
  subject: string,
  tenant: string,
  roles: readonly Role[],
): Principal {
  return {
    id: `external:${subject}`,
    name: subject,
    kind: 'external-token',
    tenant,
    access: { kind: 'external-token', subject, tenant, roles },
  };
}

export interface AuthorizationApp extends App {
  readonly denials: Denial[];
  /** One GraphQL operation as the principal registered under `who`. */
  as(who: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlResult>;
}

export function createAuthorizationApp(
  store: TestStore,
  principals: Readonly<Record<string, Principal>>,
  options: { knowledge?: KnowledgeSettings; identity?: Identity } = {},
): AuthorizationApp {
  const denials: Denial[] = [];
  const { logger } = createCapturedLogger();
  const app = createApp({
    options: {
      production: false,
      introspection: true,
      graphiql: false,
      maxBodyBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
    },
    registry: store.registry,
    resolvePrincipal: (request) => {
      const principal = principals[request.headers.get(PRINCIPAL_HEADER) ?? ''];
      return principal === undefined
        ? { ok: false, error: new CairnError('UNAUTHENTICATED', 'unknown test principal') }
        : { ok: true, principal };
    },
    authorizer: createAuthorizer({
      loadGrants: createGrantLoader(store.sql),
      onDenied: (denial) => denials.push(denial),
    }),
    knowledge: options.knowledge ?? DEFAULT_KNOWLEDGE_SETTINGS,
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    checkReady: () => store.sql.ping(),
    version: '0.0.0-test',
  });
  return Object.assign(app, {
    denials,
    as: (who: string, query: string, variables: Record<string, unknown> = {}) =>
      graphql(app, query, variables, { [PRINCIPAL_HEADER]: who }),
  });
}

export const codeOf = (result: GraphqlResult) => result.body.errors?.[0]?.extensions?.code;
export const messageOf = (result: GraphqlResult) => result.body.errors?.[0]?.message ?? '';

/** `data[name]` of a result that must have succeeded (fails the test with the errors if not). */
export function fieldOf<T>(result: GraphqlResult, name: string): T {
  const value = result.body.data?.[name];
  if (value == null) throw new Error(`no ${name} in ${JSON.stringify(result.body)}`);
  return value as T;
}
