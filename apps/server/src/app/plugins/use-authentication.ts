import type { Plugin } from 'graphql-yoga';
import type { ResolvePrincipal } from '../../auth/principal.js';
import { createErrorResponse } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import type { RequestStates } from '../request-state.js';

export interface AuthenticationOptions {
  readonly states: RequestStates;
  readonly resolvePrincipal: ResolvePrincipal;
  readonly metrics: Metrics;
  /** Paths that need a principal; everything else (health checks) is public. */
  readonly protectedPaths: readonly string[];
}

/** Resolves who the request acts as before any GraphQL is parsed; 401 otherwise. */
export function useAuthentication({
  states,
  resolvePrincipal,
  metrics,
  protectedPaths,
}: AuthenticationOptions): Plugin {
  const paths = new Set(protectedPaths);
  return {
    onRequest({ request, url, endResponse }) {
      if (!paths.has(url.pathname)) return;
      const resolution = resolvePrincipal(request);
      const state = states.get(request);
      if (resolution.ok) {
        if (state !== undefined) state.principal = resolution.principal;
        return;
      }
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
