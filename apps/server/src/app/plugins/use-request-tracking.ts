import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { resolveRequestId } from '../../observability/request-id.js';
import type { RequestStates } from '../request-state.js';

export interface RequestTrackingOptions {
  readonly states: RequestStates;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly graphqlEndpoint: string;
}

const KNOWN_ROUTES = new Set(['/health', '/health/ready', '/metrics']);

/**
 * Gives every request an id (a sane incoming X-Request-ID, else a new one), returns it on
 * every response, and records one log line and the request metrics. Never logs bodies,
 * query text or headers: they can hold facts and credentials.
 */
export function useRequestTracking({
  states,
  metrics,
  logger,
  graphqlEndpoint,
}: RequestTrackingOptions): Plugin {
  return {
    onRequest({ request, url }) {
      const route =
        url.pathname === graphqlEndpoint || KNOWN_ROUTES.has(url.pathname) ? url.pathname : 'other';
      states.set(request, {
        id: resolveRequestId(request.headers.get('x-request-id')),
        startedAt: performance.now(),
        route,
        principal: undefined,
      });
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (state === undefined) return;
      response.headers.set('X-Request-ID', state.id);
      const seconds = (performance.now() - state.startedAt) / 1000;
      metrics.requests.inc({
        route: state.route,
        method: request.method,
        status: String(response.status),
      });
      metrics.requestSeconds.observe({ route: state.route }, seconds);
      logger.info(
        {
          requestId: state.id,
          method: request.method,
          route: state.route,
          status: response.status,
          ms: Math.round(seconds * 10_000) / 10,
          principal: state.principal?.id,
        },
        'request',
      );
    },
  };
}
