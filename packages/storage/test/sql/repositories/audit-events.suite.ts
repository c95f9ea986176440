import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../../src/errors.js';
import type { AuditEventRow } from '../../../src/sql/repositories/audit-events.js';
import { type SharedStore, uniqueName } from '../support/backends.js';

export function auditEventsSuite(shared: () => SharedStore): void {
  describe('audit events repository', () => {
    it('appends events with all their fields', async () => {
      const { auditEvents } = shared().store;
      const actor = uniqueName('actor');
      const event = await auditEvents.append({
        action: 'user.create',
        outcome: 'success',
        actor,
        target: 'user:bob',
        clientIp: '203.0.113.7',
        requestId: 'req-1',
        details: { role: 'reader', nested: { ok: true } },
      });
      expect(event).toMatchObject({
        actor,
        clientIp: '203.0.113.7',
        details: { role: 'reader', nested: { ok: true } },
      });
      expect(event.at).toBeInstanceOf(Date);
      expect(typeof event.id).toBe('number');
    });

    it('pages newest first with an opaque cursor, without gaps or repeats, while events keep arriving', async () => {
      const { auditEvents } = shared().store;
      const actor = uniqueName('pager');
      const appended: AuditEventRow[] = [];
      for (let index = 0; index < 23; index++) {
        appended.push(await auditEvents.append({ action: `a${index}`, outcome: 'success', actor }));
      }
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await auditEvents.list({
          actor,
          limit: 5,
          ...(cursor === undefined ? {} : { cursor }),
        });
        seen.push(...page.events.map((event) => event.id));
        cursor = page.nextCursor;
        pages++;
        // A new event after the first page must not shift later pages.
        if (pages === 1) await auditEvents.append({ action: 'late', outcome: 'success', actor });
      } while (cursor !== undefined);
      expect(pages).toBe(5);
      expect(seen).toEqual(appended.map((event) => event.id).reverse());
    });

    it('filters by the tenant named in the details (a tenant admin never sees another tenant)', async () => {
      const { auditEvents } = shared().store;
      const mine = uniqueName('tenant');
      const other = uniqueName('tenant');
      await auditEvents.append({
        action: 'user.create',
        outcome: 'success',
        details: { tenant: mine },
      });
      await auditEvents.append({
        action: 'user.create',
        outcome: 'success',
        details: { tenant: other },
      });
      await auditEvents.append({ action: 'login', outcome: 'failure', details: { reason: 'x' } });
      await auditEvents.append({
        action: 'injection',
        outcome: 'failure',
        details: { tenant: `${mine}' OR '1'='1` },
      });
      const page = await auditEvents.list({ tenant: mine });
      expect(page.events.map((event) => event.details)).toEqual([{ tenant: mine }]);
    });

    it('filters by action and time', async () => {
      const { auditEvents } = shared().store;
      const actor = uniqueName('filter');
      await auditEvents.append({
        action: 'login',
        outcome: 'failure',
        actor,
        at: new Date('2020-01-01T00:00:00Z'),
      });
      await auditEvents.append({
        action: 'login',
        outcome: 'success',
        actor,
        at: new Date('2021-01-01T00:00:00Z'),
      });
      await auditEvents.append({
        action: 'logout',
        outcome: 'success',
        actor,
        at: new Date('2021-06-01T00:00:00Z'),
      });
      const logins = await auditEvents.list({ actor, action: 'login' });
      expect(logins.events.map((event) => event.outcome)).toEqual(['success', 'failure']);
      expect(logins.nextCursor).toBeUndefined();
      const since = await auditEvents.list({
        actor,
        since: new Date('2020-06-01T00:00:00Z'),
        until: new Date('2021-03-01T00:00:00Z'),
      });
      expect(since.events.map((event) => event.action)).toEqual(['login']);
    });

    it('refuses details that look like they carry a credential', async () => {
      const { auditEvents } = shared().store;
      const action = uniqueName('leak');
      for (const details of [
        { password: 'x' },
        { request: { headers: { Authorization: 'Bearer x' } } },
        { apiKey: 'cairn_x' },
      ]) {
        await expect(auditEvents.append({ action, outcome: 'failure', details })).rejects.toSatisfy(
          (error) => isStorageError(error, 'INVALID_INPUT'),
        );
      }
      expect((await auditEvents.list({ action })).events).toEqual([]);
      const allowed = await auditEvents.append({
        action,
        outcome: 'success',
        details: { keyId: 'k1', tokenId: 't1' },
      });
      expect(allowed.details).toEqual({ keyId: 'k1', tokenId: 't1' });
    });

    it('rejects forged cursors and bad page sizes with INVALID_INPUT', async () => {
      const { auditEvents } = shared().store;
      for (const cursor of ['garbage', Buffer.from('audit:v1:-4').toString('base64url'), '']) {
        await expect(auditEvents.list({ cursor })).rejects.toSatisfy((error) =>
          isStorageError(error, 'INVALID_INPUT'),
        );
      }
      for (const limit of [0, 1001, 2.5]) {
        await expect(auditEvents.list({ limit })).rejects.toSatisfy((error) =>
          isStorageError(error, 'INVALID_INPUT'),
        );
      }
    });
  });
}
