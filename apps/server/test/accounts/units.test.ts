import type { AuditEventsRepository } from '@cairn/storage';
import { parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { rootFieldNames } from '../../src/app/plugins/use-anonymous-gate.js';
import { readJwtAlgorithm } from '../../src/auth/managed-resolver.js';
import { createAuditRecorder } from '../../src/identity/audit-recorder.js';
import { createExpiringCache } from '../../src/identity/expiring-cache.js';
import { createCapturedLogger } from '../support/test-server.js';
import { createFakeClock } from './support/managed-app.js';

describe('the audit recorder', () => {
  test('a failed write never reaches the request; it is logged without the details', async () => {
    const { logger, lines } = createCapturedLogger();
    const failing = {
      append: () => Promise.reject(new Error('audit table unavailable')),
      list: () => Promise.reject(new Error('unused')),
    } as unknown as AuditEventsRepository;
    const recorder = createAuditRecorder({ auditEvents: failing, logger });
    expect(() =>
      recorder.record({
        action: 'user.update',
        outcome: 'success',
        actor: 'u1',
        details: { changed: ['email'], email: 'kept-out-of-logs@example.com' },
      }),
    ).not.toThrow();
    await recorder.flush();
    const logged = lines.join('\n');
    expect(logged).toContain('audit event not written');
    expect(logged).toContain('audit table unavailable');
    expect(logged).not.toContain('kept-out-of-logs@example.com');
  });
});

describe('the expiring cache', () => {
  test('forgets entries after the TTL and the oldest beyond its size', () => {
    const clock = createFakeClock(0);
    const cache = createExpiringCache<string, number>({ ttlMs: 1000, maxEntries: 2, now: clock });
    cache.set('a', 1);
    clock.advance(999);
    expect(cache.get('a')).toBe(1);
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 2);
    cache.set('c', 3);
    cache.set('d', 4);
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([undefined, 3, 4]);
  });
});

describe('root fields of an operation', () => {
  test('are found through fragment spreads and inline fragments', () => {
    const document = parse(`
      query A { ...F ... on Query { me { id } } }
      fragment F on Query { databases { name } ...G }
      fragment G on Query { health { status } }
      mutation B { login(username: "a", password: "b") { accessToken } }
    `);
    expect(rootFieldNames(document, 'A')).toEqual(['databases', 'health', 'me']);
    expect(rootFieldNames(document, 'B')).toEqual(['login']);
    // Several operations and no name: undetermined, so the gate refuses.
    expect(rootFieldNames(document, undefined)).toBeUndefined();
    expect(rootFieldNames(parse('{ ...Missing }'), undefined)).toBeUndefined();
  });
});

describe('the JWT header', () => {
  test('yields its alg, or nothing when unreadable', () => {
    const header = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(readJwtAlgorithm(`${header({ alg: 'HS256', typ: 'JWT' })}.e30.sig`)).toBe('HS256');
    expect(readJwtAlgorithm(`${header({ typ: 'JWT' })}.e30.sig`)).toBeUndefined();
    expect(readJwtAlgorithm('not-base64-json.e30.sig')).toBeUndefined();
    expect(readJwtAlgorithm(`${'A'.repeat(2000)}.e30.sig`)).toBeUndefined();
  });
});
