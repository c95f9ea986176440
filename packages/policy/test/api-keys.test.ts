import { describe, expect, it } from 'vitest';
import { decide, type Principal, type Resource } from '../src/index.js';
import { acmeUser, external, identity, key, ROOT, superuser, user } from './principals.js';

const writerIdentity = identity('w', [{ tenant: 'acme', role: 'writer' }]);
const writer: Principal = { kind: 'user', ...writerIdentity };
const mixed = user('m', [
  { tenant: 'acme', role: 'admin' },
  { tenant: 'globex', role: 'reader' },
]);

function newKey(
  owner: string,
  role: Resource['role'],
  databases: readonly string[] | null = null,
  tenants: readonly string[] | null = null,
): Resource {
  return { ownerUserId: owner, ...(role === undefined ? {} : { role }), databases, tenants };
}

describe('your own keys: never wider than you', () => {
  const rows: { who: string; principal: Principal; resource: Resource; allowed: boolean }[] = [
    {
      who: 'writer, writer key',
      principal: writer,
      resource: newKey('w', 'writer'),
      allowed: true,
    },
    {
      who: 'writer, reader key for sales',
      principal: writer,
      resource: newKey('w', 'reader', ['sales'], ['acme']),
      allowed: true,
    },
    { who: 'writer, admin key', principal: writer, resource: newKey('w', 'admin'), allowed: false },
    {
      who: 'writer, key for a foreign tenant',
      principal: writer,
      resource: newKey('w', 'reader', null, ['globex']),
      allowed: false,
    },
    {
      who: 'writer, no role stated',
      principal: writer,
      resource: newKey('w', undefined),
      allowed: false,
    },
    {
      who: 'admin of acme, admin key for acme',
      principal: mixed,
      resource: newKey('m', 'admin', null, ['acme']),
      allowed: true,
    },
    {
      who: 'admin of acme, admin key for globex',
      principal: mixed,
      resource: newKey('m', 'admin', null, ['globex']),
      allowed: false,
    },
    {
      who: 'user of no tenant',
      principal: user('n'),
      resource: newKey('n', 'reader'),
      allowed: false,
    },
    // A writer key cannot widen its own scope or role.
    {
      who: 'writer key, admin key',
      principal: key(writerIdentity, 'writer'),
      resource: newKey('w', 'admin'),
      allowed: false,
    },
    {
      who: 'reader key of writer, writer key',
      principal: key(writerIdentity, 'reader'),
      resource: newKey('w', 'writer'),
      allowed: false,
    },
    {
      who: 'sales key, unscoped key',
      principal: key(writerIdentity, 'writer', { databases: ['sales'] }),
      resource: newKey('w', 'writer'),
      allowed: false,
    },
    {
      who: 'sales key, crm key',
      principal: key(writerIdentity, 'writer', { databases: ['sales'] }),
      resource: newKey('w', 'writer', ['crm']),
      allowed: false,
    },
    {
      who: 'sales key, sales key',
      principal: key(writerIdentity, 'writer', { databases: ['sales'] }),
      resource: newKey('w', 'reader', ['sales']),
      allowed: true,
    },
    {
      who: 'acme key, every-tenant key',
      principal: key(writerIdentity, 'writer', { tenants: ['acme'] }),
      resource: newKey('w', 'writer'),
      allowed: false,
    },
    {
      who: 'acme key, acme key',
      principal: key(writerIdentity, 'writer', { tenants: ['acme'] }),
      resource: newKey('w', 'writer', null, ['acme']),
      allowed: true,
    },
    {
      who: "superuser's writer key, admin key",
      principal: key(ROOT, 'writer'),
      resource: newKey('root', 'admin'),
      allowed: false,
    },
    {
      who: "superuser's writer key, writer key",
      principal: key(ROOT, 'writer'),
      resource: newKey('root', 'writer'),
      allowed: true,
    },
  ];
  it.each(rows)('createApiKey: $who → $allowed', ({ principal, resource, allowed }) => {
    expect(decide(principal, 'createApiKey', resource).allowed).toBe(allowed);
  });

  it.each([
    { action: 'apiKeys', resource: { ownerUserId: 'w' }, allowed: true },
    { action: 'rotateApiKey', resource: { ownerUserId: 'w' }, allowed: true },
    { action: 'revokeApiKey', resource: { ownerUserId: 'w' }, allowed: true },
  ] as const)('a session $action its own keys → $allowed', ({ action, resource, allowed }) => {
    expect(decide(writer, action, resource).allowed).toBe(allowed);
  });

  // Rotating hands out the new raw secret: a narrow key must not obtain a wider one.
  it.each([
    { keyRole: 'reader', target: newKey('w', 'writer'), allowed: false },
    { keyRole: 'writer', target: newKey('w', 'writer'), allowed: true },
    { keyRole: 'writer', target: newKey('w', 'reader', ['sales'], ['acme']), allowed: true },
    { keyRole: 'writer', target: { ownerUserId: 'w' }, allowed: false },
  ] as const)('a $keyRole key rotates/revokes $target.role key → $allowed', (row) => {
    const principal = key(writerIdentity, row.keyRole);
    expect(decide(principal, 'rotateApiKey', row.target).allowed).toBe(row.allowed);
    expect(decide(principal, 'revokeApiKey', row.target).allowed).toBe(row.allowed);
  });
});

describe("other users' keys: admins of every tenant the key reaches", () => {
  const acmeAdmin = acmeUser('admin', 'a');
  const rows: { who: string; principal: Principal; resource: Resource; allowed: boolean }[] = [
    {
      who: 'admin, key of an acme user',
      principal: acmeAdmin,
      resource: { ownerUserId: 'x', ownerTenants: ['acme'], role: 'writer' },
      allowed: true,
    },
    {
      who: 'admin, key scoped to acme of a two-tenant user',
      principal: acmeAdmin,
      resource: {
        ownerUserId: 'x',
        ownerTenants: ['acme', 'globex'],
        tenants: ['acme'],
        role: 'writer',
      },
      allowed: true,
    },
    {
      who: 'admin, unscoped key of a two-tenant user',
      principal: acmeAdmin,
      resource: {
        ownerUserId: 'x',
        ownerTenants: ['acme', 'globex'],
        tenants: null,
        role: 'writer',
      },
      allowed: false,
    },
    {
      who: 'admin, tenants unknown',
      principal: acmeAdmin,
      resource: { ownerUserId: 'x', role: 'writer' },
      allowed: false,
    },
    {
      who: 'admin, key of a superuser',
      principal: acmeAdmin,
      resource: { ownerUserId: 'root', ownerTenants: ['acme'], targetSuperuser: true },
      allowed: false,
    },
    {
      who: 'writer, key of an acme user',
      principal: acmeUser('writer'),
      resource: { ownerUserId: 'x', ownerTenants: ['acme'] },
      allowed: false,
    },
    {
      who: 'admin of globex only',
      principal: user('g', [{ tenant: 'globex', role: 'admin' }]),
      resource: { ownerUserId: 'x', ownerTenants: ['acme'] },
      allowed: false,
    },
    {
      who: 'superuser, anyone',
      principal: superuser(),
      resource: { ownerUserId: 'x' },
      allowed: true,
    },
    {
      who: 'external admin, own tenant',
      principal: external('acme', ['admin']),
      resource: { ownerUserId: 'x', ownerTenants: ['acme'] },
      allowed: true,
    },
  ];
  it.each(rows)('$who → $allowed', ({ principal, resource, allowed }) => {
    for (const action of ['createApiKey', 'rotateApiKey', 'revokeApiKey'] as const) {
      expect(decide(principal, action, resource).allowed, action).toBe(allowed);
    }
  });

  it.each([
    { who: 'admin lists acme', principal: acmeAdmin, tenant: 'acme', allowed: true },
    { who: 'admin lists globex', principal: acmeAdmin, tenant: 'globex', allowed: false },
    { who: 'admin lists everything', principal: acmeAdmin, tenant: undefined, allowed: false },
    { who: 'superuser lists everything', principal: superuser(), tenant: undefined, allowed: true },
  ])('apiKeys: $who → $allowed', ({ principal, tenant, allowed }) => {
    expect(decide(principal, 'apiKeys', tenant === undefined ? {} : { tenant }).allowed).toBe(
      allowed,
    );
  });
});
