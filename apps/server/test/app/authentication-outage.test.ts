import { connect } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SQL_OUTAGE_MESSAGE } from '../../src/app/mask-error.js';
import { useAuthentication } from '../../src/app/plugins/use-authentication.js';
import type { RequestStates } from '../../src/app/request-state.js';
import { createLockout } from '../../src/auth/lockout.js';
import { createMetrics } from '../../src/observability/metrics.js';

/** A real refused connection, as the SQL driver reports it when PostgreSQL is stopped. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    connect({ host: '127.0.0.1', port: 1 }).once('error', resolve);
  });
}

describe('authentication while the SQL store is away', () => {
  it('answers 503 UNAVAILABLE and does not count towards the lockout', async () => {
    const outage = await refusedConnection();
    const lockout = createLockout({ limit: 1, lockoutSeconds: 60 });
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      plugins: [
        useAuthentication({
          states: new WeakMap() as RequestStates,
          resolvePrincipal: () => Promise.reject(new Error('Failed query', { cause: outage })),
          metrics: createMetrics({ countFacts: () => [] }),
          protectedPaths: ['/graphql'],
          lockout,
          trustProxy: false,
        }),
      ],
    });
    for (let i = 0; i < 3; i++) {
      const response = await yoga.fetch('http://cairn.invalid/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'cairn_whatever' },
        body: JSON.stringify({ query: '{ ok }' }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        errors: [{ message: SQL_OUTAGE_MESSAGE, extensions: { code: 'UNAVAILABLE' } }],
      });
    }
    expect(lockout.retryAfterSeconds('unknown')).toBe(0);
  });
});
