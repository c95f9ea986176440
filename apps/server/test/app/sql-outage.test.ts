import { connect } from 'node:net';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MASKED_MESSAGE, maskError, SQL_OUTAGE_MESSAGE } from '../../src/app/mask-error.js';
import { isSqlOutage } from '../../src/app/sql-outage.js';

/** A real refused connection (port 1 on loopback has no listener). */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 1 });
    socket.once('error', resolve);
  });
}

/** Shaped like drizzle's DrizzleQueryError: the SQL text on top, the driver error as cause. */
function queryError(cause: unknown): Error {
  return new Error('Failed query: insert into "databases" ... params: secret', { cause });
}

describe('SQL outages', () => {
  it('recognises a refused socket, postgres.js connection codes and shutdown SQLSTATEs through causes', async () => {
    expect(isSqlOutage(queryError(await refusedConnection()))).toBe(true);
    expect(
      isSqlOutage(queryError(Object.assign(new Error('x'), { code: 'CONNECTION_CLOSED' }))),
    ).toBe(true);
    expect(isSqlOutage(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isSqlOutage(Object.assign(new Error('cannot connect'), { code: '08006' }))).toBe(true);
    expect(isSqlOutage(new AggregateError([await refusedConnection()]))).toBe(true);
  });

  it('leaves constraint violations, bugs and cycles alone', () => {
    expect(isSqlOutage(queryError(Object.assign(new Error('dup'), { code: '23505' })))).toBe(false);
    expect(isSqlOutage(new TypeError('undefined is not a function'))).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isSqlOutage(loop)).toBe(false);
  });

  it('masks an outage as a retryable UNAVAILABLE without driver details, and logs the original', async () => {
    const original = queryError(await refusedConnection());
    const logged: unknown[] = [];
    const masked = maskError(
      new GraphQLError('boom', { originalError: original, path: ['createDatabase'] }),
      (error) => logged.push(error),
    ) as GraphQLError;
    expect(masked.message).toBe(SQL_OUTAGE_MESSAGE);
    expect(masked.extensions.code).toBe('UNAVAILABLE');
    expect(JSON.stringify(masked.toJSON())).not.toMatch(/ECONNREFUSED|insert|secret|127\.0\.0\.1/);
    expect(logged).toEqual([original]);
    const other = maskError(
      new GraphQLError('boom', { originalError: new TypeError('bug') }),
      () => {},
    ) as GraphQLError;
    expect(other.message).toBe(MASKED_MESSAGE);
    expect(other.extensions.code).toBe('INTERNAL');
  });
});
