import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../observability/metrics.js';

export interface OperationalEndpointsOptions {
  readonly metrics: Metrics;
  readonly version: string;
  /** Resolves when the server can serve (databases recovered, SQL store answers). */
  readonly checkReady: () => Promise<void>;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });

/** `/health` (liveness), `/health/ready` (readiness) and `/metrics` (Prometheus). */
export function useOperationalEndpoints({
  metrics,
  version,
  checkReady,
}: OperationalEndpointsOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        endResponse(json(200, { status: 'ok', version }));
      } else if (url.pathname === '/health/ready') {
        try {
          await checkReady();
          endResponse(json(200, { status: 'ready' }));
        } catch {
          // The reason goes to the log by the caller's checkReady; never to an anonymous client.
          endResponse(json(503, { status: 'not ready' }));
        }
      } else if (url.pathname === '/metrics') {
        endResponse(
          new Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
          }),
        );
      }
    },
  };
}
