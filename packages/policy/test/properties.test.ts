import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_FIELDS,
  ACTIONS,
  type Action,
  decide,
  type Grant,
  PERMISSIONS,
  type Principal,
  type Resource,
  ROLES,
  type Role,
  type UserIdentity,
} from '../src/index.js';

const TENANTS = ['acme', 'globex', 'initech'] as const;
const DATABASES = ['sales', 'crm', 'hr'] as const;
const USERS = ['u1', 'u2', 'u3'] as const;
const KNOWLEDGE: readonly Action[] = [
  'ask',
  'facts',
  'predicates',
  'rules',
  'tell',
  'tellMany',
  'retract',
  'teach',
  'forgetRule',
  'importFacts',
];

const role = fc.constantFrom(...ROLES);
const tenant = fc.constantFrom(...TENANTS);
const database = fc.constantFrom(...DATABASES);
const scope = <T>(values: readonly T[]) =>
  fc.option(fc.subarray([...values]), { nil: null, freq: 2 });

const identity: fc.Arbitrary<UserIdentity> = fc.record({
  userId: fc.constantFrom(...USERS),
  superuser: fc.oneof(
    { arbitrary: fc.constant(false), weight: 4 },
    { arbitrary: fc.constant(true), weight: 1 },
  ),
  memberships: fc.uniqueArray(fc.record({ tenant, role }), { selector: (m) => m.tenant }),
});

const keyOf = (owner: UserIdentity) =>
  fc.record({
    kind: fc.constant('api-key' as const),
    keyId: fc.constant('k1'),
    owner: fc.constant(owner),
    role,
    databases: scope(DATABASES),
    tenants: scope(TENANTS),
  });

const apiKey = identity.chain(keyOf);

const principal: fc.Arbitrary<Principal> = fc.oneof(
  identity.map((who): Principal => ({ kind: 'user', ...who })),
  apiKey,
  fc.record({
    kind: fc.constant('external-token' as const),
    subject: fc.constantFrom(...USERS),
    tenant,
    roles: fc.subarray([...ROLES]),
  }),
);

// Grants may name a user and a tenant no caller ever is: reasons must never repeat them.
const grant: fc.Arbitrary<Grant> = fc.record({
  database,
  permission: fc.constantFrom(...PERMISSIONS),
  subject: fc.oneof(
    fc.record({ userId: fc.constantFrom(...USERS, 'hidden-user') }),
    fc.record({ role }),
    fc.record({ tenant: fc.constantFrom(...TENANTS, 'hidden-tenant') }),
  ),
});
const grants = fc.array(grant, { maxLength: 6 });

const resource: fc.Arbitrary<Resource> = fc.record(
  {
    database,
    tenant,
    permission: fc.constantFrom(...PERMISSIONS),
    role,
    superuser: fc.boolean(),
    databases: scope(DATABASES),
    tenants: scope(TENANTS),
    targetUserId: fc.constantFrom(...USERS),
    ownerUserId: fc.constantFrom(...USERS),
    ownerTenants: fc.subarray([...TENANTS]),
    targetSuperuser: fc.boolean(),
    changes: fc.subarray([...ACCOUNT_FIELDS]),
  },
  { requiredKeys: [] },
);
const action = fc.constantFrom(...ACTIONS);
const knowledgeAction = fc.constantFrom(...KNOWLEDGE);

function reachableTenants(who: Principal): readonly string[] | 'all' {
  switch (who.kind) {
    case 'local':
    case 'shared-api-key':
      return 'all';
    case 'user':
      return who.superuser ? 'all' : who.memberships.map((m) => m.tenant);
    case 'api-key': {
      const superKey = who.owner.superuser && who.role === 'admin' && who.tenants === null;
      if (superKey && who.databases === null) return 'all';
      const owned = who.owner.superuser ? [...TENANTS] : who.owner.memberships.map((m) => m.tenant);
      return owned.filter((t) => who.tenants === null || who.tenants.includes(t));
    }
    case 'external-token':
      return who.roles.length === 0 ? [] : [who.tenant];
  }
}

const RUNS = { numRuns: 2000 };

describe('properties of decide', () => {
  it('a key never gets more than its owner', () => {
    fc.assert(
      fc.property(apiKey, action, resource, grants, (key, act, res, gs) => {
        if (decide(key, act, res, gs).allowed) {
          expect(decide({ kind: 'user', ...key.owner }, act, res, gs).allowed).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("nobody but superuser, local and shared key reaches another tenant's partition", () => {
    fc.assert(
      fc.property(principal, knowledgeAction, resource, grants, (who, act, res, gs) => {
        if (!decide(who, act, res, gs).allowed) return;
        const reachable = reachableTenants(who);
        if (reachable !== 'all') expect(reachable).toContain(res.tenant);
      }),
      RUNS,
    );
  });

  it('a key limited to databases never touches knowledge outside them', () => {
    fc.assert(
      fc.property(apiKey, knowledgeAction, resource, grants, (key, act, res, gs) => {
        if (key.databases === null || !decide(key, act, res, gs).allowed) return;
        const superKey = key.owner.superuser && key.role === 'admin' && key.tenants === null;
        if (!superKey) expect(key.databases).toContain(res.database);
      }),
      RUNS,
    );
  });

  it('more grants never take a permission away', () => {
    fc.assert(
      fc.property(principal, action, resource, grants, grants, (who, act, res, gs, more) => {
        if (decide(who, act, res, gs).allowed) {
          expect(decide(who, act, res, [...gs, ...more]).allowed).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("raising a user's role in a tenant never takes a permission away", () => {
    const promote = (r: Role): Role => (r === 'reader' ? 'writer' : 'admin');
    fc.assert(
      fc.property(identity, fc.nat(), action, resource, grants, (who, pick, act, res, gs) => {
        if (who.memberships.length === 0) return;
        const index = pick % who.memberships.length;
        const promoted: UserIdentity = {
          ...who,
          memberships: who.memberships.map((m, i) =>
            i === index ? { tenant: m.tenant, role: promote(m.role) } : m,
          ),
        };
        if (decide({ kind: 'user', ...who }, act, res, gs).allowed) {
          expect(decide({ kind: 'user', ...promoted }, act, res, gs).allowed).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('every denial gives a reason that names no one else', () => {
    fc.assert(
      fc.property(principal, action, resource, grants, (who, act, res, gs) => {
        const decision = decide(who, act, res, gs);
        if (decision.allowed) return;
        expect(decision.reason.length).toBeGreaterThan(10);
        expect(decision.reason).not.toMatch(/hidden-user|hidden-tenant/);
      }),
      RUNS,
    );
  });

  it('is pure: the same question gets the same answer', () => {
    fc.assert(
      fc.property(principal, action, resource, grants, (who, act, res, gs) => {
        expect(decide(who, act, res, gs)).toEqual(decide(who, act, res, gs));
      }),
      { numRuns: 300 },
    );
  });
});
