import { describe, expect, it } from 'vitest';
import { decide, type Principal } from '../src/index.js';
import { acmeUser, external, identity, key, ROOT, superuser } from './principals.js';

const acmeAdmin = identity('a', [{ tenant: 'acme', role: 'admin' }]);

describe('auditEvents', () => {
  const rows: { who: string; principal: Principal; tenant?: string; allowed: boolean }[] = [
    { who: 'superuser, every tenant', principal: superuser(), allowed: true },
    { who: 'superuser, globex', principal: superuser(), tenant: 'globex', allowed: true },
    { who: 'admin, own tenant', principal: acmeUser('admin'), tenant: 'acme', allowed: true },
    { who: 'admin, every tenant', principal: acmeUser('admin'), allowed: false },
    {
      who: 'admin, another tenant',
      principal: acmeUser('admin'),
      tenant: 'globex',
      allowed: false,
    },
    { who: 'writer, own tenant', principal: acmeUser('writer'), tenant: 'acme', allowed: false },
    { who: 'admin key', principal: key(acmeAdmin, 'admin'), tenant: 'acme', allowed: true },
    {
      who: 'reader key of admin',
      principal: key(acmeAdmin, 'reader'),
      tenant: 'acme',
      allowed: false,
    },
    {
      who: 'database-scoped admin key',
      principal: key(acmeAdmin, 'admin', { databases: ['s'] }),
      tenant: 'acme',
      allowed: false,
    },
    { who: 'unscoped admin key of superuser', principal: key(ROOT, 'admin'), allowed: true },
    {
      who: 'external admin, own tenant',
      principal: external('acme', ['admin']),
      tenant: 'acme',
      allowed: true,
    },
    {
      who: 'external admin, another tenant',
      principal: external('acme', ['admin']),
      tenant: 'x',
      allowed: false,
    },
  ];
  it.each(rows)('$who → $allowed', ({ principal, tenant, allowed }) => {
    const resource = tenant === undefined ? {} : { tenant };
    expect(decide(principal, 'auditEvents', resource).allowed).toBe(allowed);
  });
});
