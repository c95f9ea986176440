import { describe, expect, it } from 'vitest';
import { type AccountField, decide, type Principal, type Resource } from '../src/index.js';
import { acmeUser, external, identity, key, ROOT, superuser, user } from './principals.js';

const acmeAdmin = identity('a', [{ tenant: 'acme', role: 'admin' }]);
const twoTenants = user('m', [
  { tenant: 'acme', role: 'admin' },
  { tenant: 'globex', role: 'reader' },
]);

describe('users, createUser, updateUser of others', () => {
  const rows: { who: string; principal: Principal; resource: Resource; allowed: boolean }[] = [
    { who: 'superuser lists every user', principal: superuser(), resource: {}, allowed: true },
    {
      who: 'superuser makes a superuser',
      principal: superuser(),
      resource: { superuser: true, tenant: 'acme' },
      allowed: true,
    },
    {
      who: 'admin lists acme',
      principal: acmeUser('admin'),
      resource: { tenant: 'acme' },
      allowed: true,
    },
    { who: 'admin lists every tenant', principal: acmeUser('admin'), resource: {}, allowed: false },
    {
      who: 'admin lists globex',
      principal: acmeUser('admin'),
      resource: { tenant: 'globex' },
      allowed: false,
    },
    {
      who: 'admin gives admin in acme',
      principal: acmeUser('admin'),
      resource: { tenant: 'acme', role: 'admin' },
      allowed: true,
    },
    {
      who: 'admin sets superuser',
      principal: acmeUser('admin'),
      resource: { tenant: 'acme', superuser: true },
      allowed: false,
    },
    {
      who: 'admin changes a superuser',
      principal: acmeUser('admin'),
      resource: { tenant: 'acme', targetSuperuser: true },
      allowed: false,
    },
    {
      who: 'writer lists acme',
      principal: acmeUser('writer'),
      resource: { tenant: 'acme' },
      allowed: false,
    },
    {
      who: 'admin of acme, reader of globex, in globex',
      principal: twoTenants,
      resource: { tenant: 'globex' },
      allowed: false,
    },
    {
      who: 'admin of acme, reader of globex, in acme',
      principal: twoTenants,
      resource: { tenant: 'acme' },
      allowed: true,
    },
    {
      who: 'admin key of admin',
      principal: key(acmeAdmin, 'admin'),
      resource: { tenant: 'acme' },
      allowed: true,
    },
    {
      who: 'writer key of admin',
      principal: key(acmeAdmin, 'writer'),
      resource: { tenant: 'acme' },
      allowed: false,
    },
    {
      who: 'database-scoped admin key',
      principal: key(acmeAdmin, 'admin', { databases: ['sales'] }),
      resource: { tenant: 'acme' },
      allowed: false,
    },
    {
      who: 'scoped admin key of superuser in scope',
      principal: key(ROOT, 'admin', { tenants: ['acme'] }),
      resource: { tenant: 'acme' },
      allowed: true,
    },
    {
      who: 'scoped admin key of superuser sets superuser',
      principal: key(ROOT, 'admin', { tenants: ['acme'] }),
      resource: { tenant: 'acme', superuser: true },
      allowed: false,
    },
    {
      who: 'unscoped admin key of superuser sets superuser',
      principal: key(ROOT, 'admin'),
      resource: { superuser: true },
      allowed: true,
    },
    {
      who: 'external admin in its tenant',
      principal: external('acme', ['admin']),
      resource: { tenant: 'acme' },
      allowed: true,
    },
  ];

  it.each(rows)('$who → $allowed', ({ principal, resource, allowed }) => {
    for (const action of ['users', 'createUser', 'updateUser'] as const) {
      expect(decide(principal, action, resource).allowed, action).toBe(allowed);
    }
  });
});

describe('updateUser of your own account', () => {
  const self = acmeUser('reader', 'r');
  const rows: {
    who: string;
    principal: Principal;
    changes?: AccountField[];
    tenant?: string;
    allowed: boolean;
  }[] = [
    { who: 'reader, password', principal: self, changes: ['password'], allowed: true },
    {
      who: 'reader, password and email',
      principal: self,
      changes: ['password', 'email'],
      allowed: true,
    },
    { who: 'reader, own role', principal: self, changes: ['role'], tenant: 'acme', allowed: false },
    { who: 'reader, own activation', principal: self, changes: ['isActive'], allowed: false },
    { who: 'reader, unsaid changes', principal: self, allowed: false },
    { who: 'reader, superuser flag', principal: self, changes: ['superuser'], allowed: false },
    {
      who: 'admin, own role in its tenant',
      principal: acmeUser('admin', 'r'),
      changes: ['role'],
      tenant: 'acme',
      allowed: true,
    },
    {
      who: 'unscoped key as wide as its owner',
      principal: key(identity('r', [{ tenant: 'acme', role: 'reader' }]), 'admin'),
      changes: ['password'],
      allowed: true,
    },
    {
      who: 'key narrower than its owner',
      principal: key(identity('r', [{ tenant: 'acme', role: 'writer' }]), 'reader'),
      changes: ['password'],
      allowed: false,
    },
    {
      who: 'tenant-scoped key',
      principal: key(identity('r', [{ tenant: 'acme', role: 'reader' }]), 'reader', {
        tenants: ['acme'],
      }),
      changes: ['password'],
      allowed: false,
    },
  ];

  it.each(rows)('$who → $allowed', ({ principal, changes, tenant, allowed }) => {
    const resource: Resource = {
      targetUserId: 'r',
      ...(changes === undefined ? {} : { changes }),
      ...(tenant === undefined ? {} : { tenant }),
    };
    expect(decide(principal, 'updateUser', resource).allowed).toBe(allowed);
  });

  it('says what a user may change of their own account', () => {
    expect(decide(self, 'updateUser', { targetUserId: 'r', changes: ['role'] })).toEqual({
      allowed: false,
      reason: 'your own account allows changing only password and email, not role',
    });
  });

  it('another user id is not your own account', () => {
    const resource: Resource = { targetUserId: 'x', changes: ['password'], tenant: 'acme' };
    expect(decide(self, 'updateUser', resource).allowed).toBe(false);
  });
});
