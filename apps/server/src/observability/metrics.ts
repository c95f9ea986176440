import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestSeconds: Histogram<'route'>;
  readonly authFailures: Counter<'reason'>;
  readonly walAppendSeconds: Histogram;
  readonly facts: Gauge<'database'>;
}

export interface CreateMetricsOptions {
  readonly defaultMetrics?: boolean;
  /** Read when scraped: visible facts per database. */
  readonly countFacts?: () => Iterable<{ database: string; facts: number }>;
}

/** One registry per app (not prom-client's global), so tests and apps do not share counters. */
export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'cairn_' });
  return {
    registry,
    requests: new Counter({
      name: 'cairn_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'cairn_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'cairn_auth_failures_total',
      help: 'Failed authentications',
      labelNames: ['reason'],
      registers: [registry],
    }),
    walAppendSeconds: new Histogram({
      name: 'cairn_wal_append_duration_seconds',
      help: 'Time until an operation is durable in the log (fsync included)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    facts: new Gauge({
      name: 'cairn_facts',
      help: 'Stored facts per database (all tenants, all versions)',
      labelNames: ['database'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { database, facts } of options.countFacts?.() ?? [])
          this.set({ database }, facts);
      },
    }),
  };
}
