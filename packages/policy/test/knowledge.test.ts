import { describe, expect, it } from 'vitest';
import { decide, type Grant, type Principal, type Resource, type Role } from '../src/index.js';
import { acmeUser, external, identity, key, ROOT, superuser, user } from './principals.js';

// Written from the contract, not from the code: which knowledge actions each role may do.
const READS = ['ask', 'facts', 'predicates', 'rules'] as const;
const WRITES = ['tell', 'tellMany', 'teach', 'importFacts'] as const;
const DELETES = ['retract', 'forgetRule'] as const;
const KNOWLEDGE = [...READS, ...WRITES, ...DELETES] as const;
type KnowledgeAction = (typeof KNOWLEDGE)[number];

const ALLOWED_BY_ROLE: Record<Role, readonly KnowledgeAction[]> = {
  reader: READS,
  writer: [...READS, ...WRITES, ...DELETES],
  admin: [...READS, ...WRITES, ...DELETES],
};

const ACME_SALES: Resource = { database: 'sales', tenant: 'acme' };
const GLOBEX_SALES: Resource = { database: 'sales', tenant: 'globex' };

describe('knowledge actions by role, own tenant and another tenant', () => {
  const rows = (['reader', 'writer', 'admin'] as const).flatMap((role) =>
    KNOWLEDGE.flatMap((action) => [
      { role, action, resource: ACME_SALES, allowed: ALLOWED_BY_ROLE[role].includes(action) },
      { role, action, resource: GLOBEX_SALES, allowed: false },
    ]),
  );

  it.each(rows)('$role of acme: $action in $resource.tenant → $allowed', (row) => {
    const decision = decide(acmeUser(row.role), row.action, row.resource);
    expect(decision.allowed).toBe(row.allowed);
  });
});

describe('knowledge denials name the missing right', () => {
  it.each([
    {
      principal: acmeUser('reader'),
      action: 'tell',
      resource: ACME_SALES,
      reason: 'role reader in tenant acme cannot tell (needs write on database sales)',
    },
    {
      principal: acmeUser('reader'),
      action: 'retract',
      resource: ACME_SALES,
      reason: 'role reader in tenant acme cannot retract (needs delete on database sales)',
    },
    {
      principal: acmeUser('writer'),
      action: 'ask',
      resource: GLOBEX_SALES,
      reason: 'user is not a member of tenant globex (ask)',
    },
    {
      principal: key(identity('w', [{ tenant: 'acme', role: 'writer' }]), 'writer', {
        databases: ['crm'],
      }),
      action: 'ask',
      resource: ACME_SALES,
      reason: 'API key is limited to databases [crm] and cannot reach database sales (ask)',
    },
    {
      principal: key(identity('w', [{ tenant: 'acme', role: 'writer' }]), 'writer', {
        tenants: ['acme'],
      }),
      action: 'ask',
      resource: GLOBEX_SALES,
      reason: 'API key is limited to tenants [acme] and cannot act in tenant globex (ask)',
    },
    {
      principal: external('acme', ['writer']),
      action: 'facts',
      resource: GLOBEX_SALES,
      reason: 'external token of tenant acme cannot act in tenant globex (facts)',
    },
    {
      principal: external('acme', []),
      action: 'facts',
      resource: ACME_SALES,
      reason: 'external token carries no role (facts)',
    },
    {
      principal: acmeUser('admin'),
      action: 'ask',
      resource: { database: 'sales' },
      reason: 'ask must name the database and the tenant it acts in',
    },
  ] as const)('$reason', ({ principal, action, resource, reason }) => {
    expect(decide(principal, action, resource)).toEqual({ allowed: false, reason });
  });
});

describe('superusers', () => {
  it.each(KNOWLEDGE)('a superuser session may %s in any tenant without membership', (action) => {
    expect(decide(superuser(), action, GLOBEX_SALES).allowed).toBe(true);
  });

  const keyRows = (['reader', 'writer', 'admin'] as const).flatMap((role) =>
    KNOWLEDGE.flatMap((action) =>
      [ACME_SALES, GLOBEX_SALES].map((resource) => ({
        role,
        action,
        resource,
        allowed: ALLOWED_BY_ROLE[role].includes(action),
      })),
    ),
  );
  it.each(keyRows)(
    "a superuser's $role key: $action in $resource.tenant → $allowed (the key role narrows)",
    ({ role, action, resource, allowed }) => {
      expect(decide(key(ROOT, role), action, resource).allowed).toBe(allowed);
    },
  );

  it("a superuser's scoped admin key stays inside its scope", () => {
    const scoped = key(ROOT, 'admin', { databases: ['crm'], tenants: ['acme'] });
    expect(decide(scoped, 'tell', { database: 'crm', tenant: 'acme' }).allowed).toBe(true);
    expect(decide(scoped, 'tell', { database: 'sales', tenant: 'acme' }).allowed).toBe(false);
    expect(decide(scoped, 'tell', { database: 'crm', tenant: 'globex' }).allowed).toBe(false);
  });
});

describe('API keys get min(key role, owner role) inside their scopes', () => {
  const owners: Record<Role, ReturnType<typeof identity>> = {
    reader: identity('r', [{ tenant: 'acme', role: 'reader' }]),
    writer: identity('w', [{ tenant: 'acme', role: 'writer' }]),
    admin: identity('a', [{ tenant: 'acme', role: 'admin' }]),
  };
  const rank = { reader: 0, writer: 1, admin: 2 } as const;
  const rows = (['reader', 'writer', 'admin'] as const).flatMap((ownerRole) =>
    (['reader', 'writer', 'admin'] as const).flatMap((keyRole) =>
      KNOWLEDGE.map((action) => {
        const effective = rank[keyRole] <= rank[ownerRole] ? keyRole : ownerRole;
        return { ownerRole, keyRole, action, allowed: ALLOWED_BY_ROLE[effective].includes(action) };
      }),
    ),
  );
  it.each(rows)(
    '$keyRole key of a $ownerRole: $action → $allowed',
    ({ ownerRole, keyRole, action, allowed }) => {
      expect(decide(key(owners[ownerRole], keyRole), action, ACME_SALES).allowed).toBe(allowed);
    },
  );

  it.each([
    { scope: { databases: ['sales'] }, resource: ACME_SALES, allowed: true },
    { scope: { databases: ['crm'] }, resource: ACME_SALES, allowed: false },
    { scope: { databases: [] }, resource: ACME_SALES, allowed: false },
    { scope: { tenants: ['acme'] }, resource: ACME_SALES, allowed: true },
    { scope: { tenants: ['globex'] }, resource: ACME_SALES, allowed: false },
    // A tenant scope never adds a tenant the owner is not a member of.
    { scope: { tenants: ['acme', 'globex'] }, resource: GLOBEX_SALES, allowed: false },
  ])('writer key scoped $scope: tell in $resource.tenant/$resource.database → $allowed', (row) => {
    const principal = key(owners.writer, 'writer', row.scope);
    expect(decide(principal, 'tell', row.resource).allowed).toBe(row.allowed);
  });
});

describe('external tokens act only in their own tenant, with their highest role', () => {
  it.each([
    { roles: ['reader'], action: 'ask', tenant: 'acme', allowed: true },
    { roles: ['reader'], action: 'tell', tenant: 'acme', allowed: false },
    { roles: ['reader', 'writer'], action: 'tell', tenant: 'acme', allowed: true },
    { roles: ['admin', 'reader'], action: 'forgetRule', tenant: 'acme', allowed: true },
    { roles: ['admin'], action: 'ask', tenant: 'globex', allowed: false },
    { roles: [], action: 'ask', tenant: 'acme', allowed: false },
  ] as const)('roles $roles: $action in $tenant → $allowed', (row) => {
    const principal = external('acme', row.roles);
    const decision = decide(principal, row.action, { database: 'sales', tenant: row.tenant });
    expect(decision.allowed).toBe(row.allowed);
  });
});

describe('grants add permissions on one database', () => {
  const readerAcme = acmeUser('reader', 'alice');
  const other: Principal = user('bob', [{ tenant: 'globex', role: 'reader' }]);
  const onSales = (subject: Grant['subject']): Grant => ({
    database: 'sales',
    permission: 'write',
    subject,
  });
  it.each([
    {
      name: 'to the user',
      grant: onSales({ userId: 'alice' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: true,
    },
    {
      name: 'to another user',
      grant: onSales({ userId: 'carol' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: false,
    },
    {
      name: 'to readers',
      grant: onSales({ role: 'reader' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: true,
    },
    {
      name: 'to writers (role above)',
      grant: onSales({ role: 'writer' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: false,
    },
    {
      name: 'to the tenant',
      grant: onSales({ tenant: 'acme' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: true,
    },
    {
      name: 'to another tenant',
      grant: onSales({ tenant: 'globex' }),
      who: readerAcme,
      tenant: 'acme',
      allowed: false,
    },
    {
      name: 'on another database',
      grant: { ...onSales({ userId: 'alice' }), database: 'crm' },
      who: readerAcme,
      tenant: 'acme',
      allowed: false,
    },
    // A grant never opens a tenant the caller is not a member of.
    {
      name: 'to the user, in a foreign tenant',
      grant: onSales({ userId: 'bob' }),
      who: other,
      tenant: 'acme',
      allowed: false,
    },
    {
      name: 'to a foreign tenant, by a non-member',
      grant: onSales({ tenant: 'acme' }),
      who: other,
      tenant: 'acme',
      allowed: false,
    },
    // External subjects are another system's names: user grants never match them.
    {
      name: 'to a user id equal to an external subject',
      grant: onSales({ userId: 'ext-1' }),
      who: external('acme', ['reader']),
      tenant: 'acme',
      allowed: false,
    },
    {
      name: 'to readers, for an external reader',
      grant: onSales({ role: 'reader' }),
      who: external('acme', ['reader']),
      tenant: 'acme',
      allowed: true,
    },
  ])('write $name → $allowed', ({ grant, who, tenant, allowed }) => {
    expect(decide(who, 'tell', { database: 'sales', tenant }, [grant]).allowed).toBe(allowed);
  });

  it("a key's role still narrows its owner's grants", () => {
    const alice = identity('alice', [{ tenant: 'acme', role: 'reader' }]);
    const grant = onSales({ userId: 'alice' });
    expect(decide(key(alice, 'writer'), 'tell', ACME_SALES, [grant]).allowed).toBe(true);
    expect(decide(key(alice, 'reader'), 'tell', ACME_SALES, [grant]).allowed).toBe(false);
  });
});
