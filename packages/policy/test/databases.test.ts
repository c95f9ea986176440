import { describe, expect, it } from 'vitest';
import { decide, type Grant, type Principal } from '../src/index.js';
import { acmeUser, external, identity, key, ROOT, superuser } from './principals.js';

const admin = identity('a', [{ tenant: 'acme', role: 'admin' }]);
const writer = identity('w', [{ tenant: 'acme', role: 'writer' }]);

describe('databases, createDatabase, deleteDatabase', () => {
  const rows: { who: string; principal: Principal; create: boolean; remove: boolean }[] = [
    { who: 'superuser', principal: superuser(), create: true, remove: true },
    { who: 'admin', principal: acmeUser('admin'), create: true, remove: true },
    { who: 'writer', principal: acmeUser('writer'), create: false, remove: false },
    { who: 'reader', principal: acmeUser('reader'), create: false, remove: false },
    { who: 'admin key of admin', principal: key(admin, 'admin'), create: true, remove: true },
    { who: 'writer key of admin', principal: key(admin, 'writer'), create: false, remove: false },
    { who: 'admin key of writer', principal: key(writer, 'admin'), create: false, remove: false },
    {
      who: 'admin key scoped to sales',
      principal: key(admin, 'admin', { databases: ['sales'] }),
      create: true,
      remove: true,
    },
    {
      who: 'admin key scoped to crm',
      principal: key(admin, 'admin', { databases: ['crm'] }),
      create: false,
      remove: false,
    },
    {
      who: 'admin key scoped to another tenant',
      principal: key(admin, 'admin', { tenants: ['globex'] }),
      create: false,
      remove: false,
    },
    {
      who: 'scoped admin key of superuser',
      principal: key(ROOT, 'admin', { tenants: ['x'] }),
      create: true,
      remove: true,
    },
    {
      who: 'writer key of superuser',
      principal: key(ROOT, 'writer'),
      create: false,
      remove: false,
    },
    { who: 'external admin', principal: external('acme', ['admin']), create: true, remove: true },
    {
      who: 'external writer',
      principal: external('acme', ['writer']),
      create: false,
      remove: false,
    },
    {
      who: 'user of no tenant',
      principal: { kind: 'user', ...identity('n') },
      create: false,
      remove: false,
    },
  ];

  it.each(rows)('$who: list yes, create $create, delete $remove', (row) => {
    expect(decide(row.principal, 'databases', {}).allowed).toBe(true);
    expect(decide(row.principal, 'createDatabase', { database: 'sales' }).allowed).toBe(row.create);
    expect(decide(row.principal, 'deleteDatabase', { database: 'sales' }).allowed).toBe(row.remove);
  });

  it('a writer granted delete on a database still cannot delete the database', () => {
    const grant: Grant = {
      database: 'sales',
      permission: 'delete',
      subject: { userId: 'u-writer' },
    };
    expect(decide(acmeUser('writer'), 'deleteDatabase', { database: 'sales' }, [grant])).toEqual({
      allowed: false,
      reason: 'deleteDatabase needs the admin role in a tenant (user holds writer)',
    });
  });

  it('createDatabase without a name is refused, not guessed', () => {
    expect(decide(acmeUser('admin'), 'createDatabase', {})).toEqual({
      allowed: false,
      reason: 'createDatabase must name the database',
    });
  });
});
