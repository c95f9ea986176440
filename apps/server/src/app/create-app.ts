import type { RequestListener } from 'node:http';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { type AuthorizationSource, type Authorize, createAuthorizer } from '../auth/authorize.js';
import { createLockout, type Lockout } from '../auth/lockout.js';
import type { Principal, ResolvePrincipal } from '../auth/principal.js';
import type { DatabaseRegistry } from '../databases/registry.js';
import type { Identity } from '../identity/identity.js';
import { DEFAULT_KNOWLEDGE_SETTINGS, type KnowledgeSettings } from '../knowledge/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { buildSchema, type RequestContext } from '../schema/index.js';
import { maskError } from './mask-error.js';
import { createNodeListener } from './node-listener.js';
import { useAnonymousGate } from './plugins/use-anonymous-gate.js';
import { useAuthentication } from './plugins/use-authentication.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.js';
import { useDisableIntrospection } from './plugins/use-disable-introspection.js';
import { useJwks } from './plugins/use-jwks.js';
import { MCP_ENDPOINT, useMcpEndpoint } from './plugins/use-mcp-endpoint.js';
import { useOperationalEndpoints } from './plugins/use-operational-endpoints.js';
import { useRequestTracking } from './plugins/use-request-tracking.js';
import { useSecurityHeaders } from './plugins/use-security-headers.js';
import type { RequestStates } from './request-state.js';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface GraphqlLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxCost: number;
  readonly maxDirectives: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  // graphql-armor multiplies a selection by a literal `first`: a full facts page of 1,000 fits.
  maxCost: 50_000,
  maxDirectives: 20,
});

export interface AppOptions {
  readonly production: boolean;
  readonly introspection: boolean;
  readonly graphiql: boolean;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** Failed authentications per minute per client address before lockout, and its length. */
  readonly authFailureLimit?: number;
  readonly authLockoutSeconds?: number;
  /** Take the client address from X-Forwarded-For (a trusted proxy is in front). */
  readonly trustProxy?: boolean;
  /** The server speaks HTTPS itself: responses carry HSTS. */
  readonly https?: boolean;
  readonly limits?: GraphqlLimits;
  /** PUBLIC_URL: the deployment's resource identifier, named by /mcp's RFC 9728 metadata. */
  readonly publicUrl?: string;
}

export interface AppDependencies {
  readonly options: AppOptions;
  readonly registry: DatabaseRegistry;
  readonly resolvePrincipal: ResolvePrincipal;
  /** Builds each request's policy check; defaults to one without stored grants. */
  readonly authorizer?: (principal: Principal, source?: AuthorizationSource) => Authorize;
  /** ALLOW_RAW_QUERY and server-side import; defaults to DESIGN §2's defaults. */
  readonly knowledge?: KnowledgeSettings;
  /**
   * Managed mode's services; undefined in the disabled and legacy modes. With them, callers
   * without a credential pass authentication as the anonymous principal and a gate lets them
   * reach only login, refreshSession, logout and bootstrap.
   */
  readonly identity?: Identity;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Readiness beyond the databases: e.g. the SQL store's ping. */
  readonly checkReady: () => Promise<void>;
  readonly version: string;
  /** Clock for the lockout (tests use a fake one). */
  readonly now?: () => number;
}

export interface App {
  readonly yoga: YogaServerInstance<Record<string, unknown>, RequestContext>;
  /** The Node listener: body limit, timeout, then yoga. */
  readonly handler: RequestListener;
  /** Stops taking requests (503) and resolves when those in flight are answered. */
  close(): Promise<void>;
}

/** Pure composition: no port, no process, no environment. Tests drive it with `yoga.fetch`. */
export function createApp(deps: AppDependencies): App {
  const { options, logger, metrics } = deps;
  const states: RequestStates = new WeakMap();
  const limits = options.limits ?? DEFAULT_GRAPHQL_LIMITS;
  const startedAt = Date.now();
  const authorizer = deps.authorizer ?? createAuthorizer({});
  // Managed mode shares one lockout between this plugin and login (which counts failures too).
  const lockout: Lockout =
    deps.identity?.lockout ??
    createLockout({
      limit: options.authFailureLimit ?? 20,
      lockoutSeconds: options.authLockoutSeconds ?? 60,
      ...(deps.now ? { now: deps.now } : {}),
    });
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    maxDirectives: { n: limits.maxDirectives },
    // Suggestions ("did you mean …") map the schema for someone without introspection.
    blockFieldSuggestion: { enabled: options.production || !options.introspection },
  }).protect();

  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    graphiql: options.graphiql ? { title: 'Cairn' } : false,
    batching: false,
    cors: false,
    healthCheckEndpoint: '/yoga-health-unused',
    logging: {
      debug: (...args) => logger.debug({ yoga: args.map(String) }, 'yoga'),
      info: (...args) => logger.info({ yoga: args.map(String) }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args.map(String) }, 'yoga'),
      error: (...args) => logger.error({ yoga: args.map(String) }, 'yoga'),
    },
    maskedErrors: {
      maskError: (error) =>
        maskError(error, (unexpected) =>
          logger.error({ err: unexpected }, 'unexpected error while answering a request'),
        ),
    },
    context: ({ request }) => {
      const state = states.get(request);
      const principal = state?.principal;
      if (principal === undefined) throw new Error('request reached GraphQL without a principal');
      return {
        principal,
        authorize: authorizer(principal, {
          clientAddress: state?.clientAddress,
          requestId: state?.id,
        }),
        registry: deps.registry,
        knowledge: deps.knowledge ?? DEFAULT_KNOWLEDGE_SETTINGS,
        identity: deps.identity,
        version: deps.version,
        startedAt,
        clientAddress: state?.clientAddress,
        requestId: state?.id,
      };
    },
    plugins: [
      useRequestTracking({ states, metrics, logger, graphqlEndpoint: GRAPHQL_ENDPOINT }),
      useSecurityHeaders({ https: options.https ?? false }),
      useBodyLimit({ maxBytes: options.maxBodyBytes }),
      // Public keys are public: served before authentication (managed mode only).
      useJwks({ tokens: deps.identity?.tokens }),
      useAuthentication({
        states,
        resolvePrincipal: deps.resolvePrincipal,
        metrics,
        protectedPaths: [GRAPHQL_ENDPOINT, '/metrics', MCP_ENDPOINT],
        lockout,
        trustProxy: options.trustProxy ?? false,
      }),
      ...(deps.identity === undefined
        ? []
        : [useAnonymousGate({ states, graphqlEndpoint: GRAPHQL_ENDPOINT })]),
      useOperationalEndpoints({ metrics, version: deps.version, checkReady: deps.checkReady }),
      useMcpEndpoint({
        states,
        version: deps.version,
        https: options.https ?? false,
        publicUrl: options.publicUrl,
      }),
      useCsrfPrevention(),
      ...(options.introspection ? [] : [useDisableIntrospection()]),
      ...armor.plugins,
    ],
  });

  const listener = createNodeListener({
    yoga,
    maxBodyBytes: options.maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs,
    logger,
  });
  return { yoga, handler: listener.handler, close: listener.close };
}
