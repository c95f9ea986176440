import { describe, expect, it } from 'vitest';
import { decide, type Grant, type Permission, type Principal } from '../src/index.js';
import { acmeUser, identity, key, ROOT, superuser } from './principals.js';

const shareForAlice: Grant = {
  database: 'sales',
  permission: 'share',
  subject: { userId: 'alice' },
};
const alice = acmeUser('reader', 'alice');

describe('grants, grant, revoke', () => {
  const rows: {
    who: string;
    principal: Principal;
    grants?: Grant[];
    permission: Permission;
    tenant?: string;
    allowed: boolean;
  }[] = [
    { who: 'superuser', principal: superuser(), permission: 'share', allowed: true },
    { who: 'admin', principal: acmeUser('admin'), permission: 'share', allowed: true },
    {
      who: 'admin, tenant subject of own tenant',
      principal: acmeUser('admin'),
      permission: 'write',
      tenant: 'acme',
      allowed: true,
    },
    {
      who: 'admin, tenant subject of another tenant',
      principal: acmeUser('admin'),
      permission: 'write',
      tenant: 'globex',
      allowed: false,
    },
    { who: 'writer', principal: acmeUser('writer'), permission: 'read', allowed: false },
    {
      who: 'reader holding share',
      principal: alice,
      grants: [shareForAlice],
      permission: 'read',
      allowed: true,
    },
    // Nobody gives what they do not hold.
    {
      who: 'reader holding share, giving write',
      principal: alice,
      grants: [shareForAlice],
      permission: 'write',
      allowed: false,
    },
    {
      who: 'reader holding share on crm only',
      principal: alice,
      grants: [{ ...shareForAlice, database: 'crm' }],
      permission: 'read',
      allowed: false,
    },
    {
      who: 'writer key of superuser',
      principal: key(ROOT, 'writer'),
      permission: 'read',
      allowed: false,
    },
    {
      who: 'admin key of superuser scoped to crm',
      principal: key(ROOT, 'admin', { databases: ['crm'] }),
      permission: 'read',
      allowed: false,
    },
    {
      who: 'admin key of admin',
      principal: key(identity('a', [{ tenant: 'acme', role: 'admin' }]), 'admin'),
      permission: 'delete',
      allowed: true,
    },
    {
      who: 'reader key of admin',
      principal: key(identity('a', [{ tenant: 'acme', role: 'admin' }]), 'reader'),
      permission: 'read',
      allowed: false,
    },
  ];

  it.each(rows)('$who: grant $permission → $allowed (list and revoke alike)', (row) => {
    const base =
      row.tenant === undefined ? { database: 'sales' } : { database: 'sales', tenant: row.tenant };
    const grants = row.grants ?? [];
    expect(
      decide(row.principal, 'grant', { ...base, permission: row.permission }, grants).allowed,
    ).toBe(row.allowed);
    expect(
      decide(row.principal, 'revoke', { ...base, permission: row.permission }, grants).allowed,
    ).toBe(row.allowed);
    if (row.who !== 'reader holding share, giving write') {
      expect(decide(row.principal, 'grants', base, grants).allowed).toBe(row.allowed);
    }
  });

  it('reasons name the caller own holdings', () => {
    expect(decide(acmeUser('writer'), 'grants', { database: 'sales' })).toEqual({
      allowed: false,
      reason: 'grants needs share on database sales (held: read, write, delete)',
    });
    expect(
      decide(alice, 'grant', { database: 'sales', permission: 'write' }, [shareForAlice]),
    ).toEqual({
      allowed: false,
      reason: 'grant cannot give write on database sales: the caller does not hold it',
    });
  });

  it('grant without a permission is refused', () => {
    expect(decide(acmeUser('admin'), 'grant', { database: 'sales' }).allowed).toBe(false);
  });
});
