import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { resolveClientAddress } from '../../auth/client-address.js';
import type { Lockout } from '../../auth/lockout.js';
import type { ResolvePrincipal } from '../../auth/principal.js';
import { CairnError, createErrorResponse } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import { SQL_OUTAGE_MESSAGE } from '../mask-error.js';
import type { RequestStates } from '../request-state.js';
import { isSqlOutage } from '../sql-outage.js';

export interface AuthenticationOptions {
  readonly states: RequestStates;
  readonly resolvePrincipal: ResolvePrincipal;
  readonly metrics: Metrics;
  /** Paths that need a principal; everything else (health checks) is public. */
  readonly protectedPaths: readonly string[];
  readonly lockout: Lockout;
  readonly trustProxy: boolean;
}

/** Resolves who the request acts as before any GraphQL is parsed; 401 otherwise. */
export function useAuthentication({
  states,
  resolvePrincipal,
  metrics,
  protectedPaths,
  lockout,
  trustProxy,
}: AuthenticationOptions): Plugin {
  const paths = new Set(protectedPaths);
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (!paths.has(url.pathname)) return;
      const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      const address = resolveClientAddress(req, trustProxy);
      const retryAfter = lockout.retryAfterSeconds(address);
      if (retryAfter > 0) {
        endResponse(
          createErrorResponse(
            new CairnError(
              'RATE_LIMITED',
              `too many failed authentications; retry in ${retryAfter} s`,
            ),
            { 'Retry-After': String(retryAfter) },
          ),
        );
        return;
      }
      const state = states.get(request);
      if (state !== undefined) state.clientAddress = address;
      let resolution: Awaited<ReturnType<ResolvePrincipal>>;
      try {
        resolution = await resolvePrincipal(request, {
          clientAddress: address,
          requestId: state?.id,
        });
      } catch (error) {
        if (!isSqlOutage(error)) throw error;
        // The credential could not be checked, not found wrong: retryable, and no lockout.
        endResponse(createErrorResponse(new CairnError('UNAVAILABLE', SQL_OUTAGE_MESSAGE)));
        return;
      }
      if (resolution.ok) {
        if (state !== undefined) state.principal = resolution.principal;
        return;
      }
      lockout.recordFailure(address);
      metrics.authFailures.inc({
        reason:
          request.headers.has('x-api-key') || request.headers.has('authorization')
            ? 'invalid'
            : 'missing',
      });
      endResponse(createErrorResponse(resolution.error));
    },
  };
}
