// THE authorization matrix: every operation with the rule it follows, every kind of caller
// with what it holds, and one small interpreter that says allow or FORBIDDEN for each cell.
// Written from DESIGN §4 and the policy README, not from the policy's code.
import type { Role } from '@cairn/policy';

export const OWN_TENANT = 'acme';
export const OTHER_TENANT = 'globex';
/** Scoped keys are limited to OWN_DATABASE. */
export const OWN_DATABASE = 'own';
export const OTHER_DATABASE = 'other';

type Need = 'read' | 'write' | 'delete';
export type Rule =
  /** Any authenticated caller. */
  | { readonly kind: 'anyone' }
  /** `need` on the database, in the partition of the tenant named. */
  | { readonly kind: 'knowledge'; readonly need: Need }
  /** Same, in the caller's own tenant (rules belong to the database). */
  | { readonly kind: 'database-knowledge'; readonly need: Need }
  /** The admin role somewhere, inside the caller's database scope. */
  | { readonly kind: 'database-admin' }
  /** `share` on the database (admins by role). */
  | { readonly kind: 'share' }
  /** Admin of the tenant (the cell's, or the caller's own when the operation names none). */
  | { readonly kind: 'tenant-admin' }
  /** The caller's own keys: any Cairn user with a role, a key only inside its own scope. */
  | { readonly kind: 'own-keys' }
  /** Superusers only. */
  | { readonly kind: 'superuser' };

export interface Cell {
  readonly database: string;
  readonly tenant: string;
}

/** Ids the managed-mode operations act on: a user and a key in each tenant. */
export interface Targets {
  readonly users: Readonly<Record<string, string>>;
  readonly keys: Readonly<Record<string, string>>;
}

export interface Operation {
  readonly name: string;
  readonly rule: Rule;
  /** Whether the operation names a tenant (else only the own-tenant column applies). */
  readonly tenanted: boolean;
  /** Needs managed mode's users and keys (the end-to-end matrix only). */
  readonly managed?: boolean;
  readonly document: (cell: Cell, targets: Targets) => string;
}

const target = ({ database, tenant }: Cell) => `database: "${database}", tenant: "${tenant}"`;

export const OPERATIONS: readonly Operation[] = [
  {
    name: 'databases',
    rule: { kind: 'anyone' },
    tenanted: false,
    document: () => '{ databases { name } }',
  },
  {
    name: 'ask',
    rule: { kind: 'knowledge', need: 'read' },
    tenanted: true,
    document: (c) => `{ ask(${target(c)}, query: "p(?x)") { count } }`,
  },
  {
    name: 'facts',
    rule: { kind: 'knowledge', need: 'read' },
    tenanted: true,
    document: (c) => `{ facts(${target(c)}) { nodes { text } } }`,
  },
  {
    name: 'predicates',
    rule: { kind: 'knowledge', need: 'read' },
    tenanted: true,
    document: (c) => `{ predicates(${target(c)}) { name } }`,
  },
  {
    name: 'rules',
    rule: { kind: 'database-knowledge', need: 'read' },
    tenanted: false,
    document: (c) => `{ rules(database: "${c.database}") { id } }`,
  },
  {
    name: 'tell',
    rule: { kind: 'knowledge', need: 'write' },
    tenanted: true,
    document: (c) => `mutation { tell(${target(c)}, fact: "p(a)") { text } }`,
  },
  {
    name: 'tellJson',
    rule: { kind: 'knowledge', need: 'write' },
    tenanted: true,
    document: (c) =>
      `mutation { tellJson(${target(c)}, fact: {predicate: "p", args: ["j"]}) { text } }`,
  },
  {
    name: 'tellMany',
    rule: { kind: 'knowledge', need: 'write' },
    tenanted: true,
    document: (c) => `mutation { tellMany(${target(c)}, facts: ["p(b)"]) { count } }`,
  },
  {
    name: 'importFacts',
    rule: { kind: 'knowledge', need: 'write' },
    tenanted: true,
    document: (c) => `mutation { importFacts(${target(c)}, path: "facts.txt") { count } }`,
  },
  {
    name: 'teach',
    rule: { kind: 'database-knowledge', need: 'write' },
    tenanted: false,
    document: (c) => `mutation { teach(database: "${c.database}", rule: "q(?x) :- p(?x)") { id } }`,
  },
  {
    name: 'retract',
    rule: { kind: 'knowledge', need: 'delete' },
    tenanted: true,
    document: (c) => `mutation { retract(${target(c)}, pattern: "p(zz)") { retracted } }`,
  },
  {
    name: 'forgetRule',
    rule: { kind: 'database-knowledge', need: 'delete' },
    tenanted: false,
    document: (c) => `mutation { forgetRule(database: "${c.database}", id: "rule-unknown") }`,
  },
  {
    name: 'createDatabase',
    rule: { kind: 'database-admin' },
    tenanted: false,
    document: (c) => `mutation { createDatabase(name: "${c.database}") { name } }`,
  },
  {
    name: 'grants',
    rule: { kind: 'share' },
    tenanted: false,
    document: (c) => `{ grants(database: "${c.database}") { permission } }`,
  },
  {
    name: 'grant',
    rule: { kind: 'share' },
    tenanted: false,
    document: (c) =>
      `mutation { grant(input: {database: "${c.database}", permission: read, role: reader}) { permission } }`,
  },
  {
    name: 'revoke',
    rule: { kind: 'share' },
    tenanted: false,
    document: (c) =>
      `mutation { revoke(input: {database: "${c.database}", permission: read, role: reader}) }`,
  },
  {
    name: 'users',
    rule: { kind: 'tenant-admin' },
    tenanted: false,
    managed: true,
    document: () => '{ users { id } }',
  },
  {
    name: 'createUser',
    rule: { kind: 'tenant-admin' },
    tenanted: true,
    managed: true,
    document: (c) =>
      `mutation { createUser(input: {username: "u-${Math.random().toString(36).slice(2)}", password: "a long enough password", tenant: "${c.tenant}", role: reader}) { id } }`,
  },
  {
    name: 'updateUser',
    rule: { kind: 'tenant-admin' },
    tenanted: true,
    managed: true,
    document: (c, t) =>
      `mutation { updateUser(id: "${t.users[c.tenant]}", input: {isActive: true}) { id } }`,
  },
  {
    name: 'apiKeys',
    rule: { kind: 'own-keys' },
    tenanted: false,
    managed: true,
    document: () => '{ apiKeys { id } }',
  },
  {
    name: 'createApiKey',
    rule: { kind: 'own-keys' },
    tenanted: false,
    managed: true,
    document: (c) =>
      `mutation { createApiKey(input: {name: "k", role: reader, databases: ["${c.database}"]}) { key { id } } }`,
  },
  {
    name: 'rotateApiKey',
    rule: { kind: 'tenant-admin' },
    tenanted: true,
    managed: true,
    document: (c, t) => `mutation { rotateApiKey(id: "${t.keys[c.tenant]}") { key { id } } }`,
  },
  {
    name: 'auditEvents',
    rule: { kind: 'superuser' },
    tenanted: false,
    managed: true,
    document: () => '{ auditEvents(first: 1) { nodes { action } } }',
  },
  {
    name: 'revokeApiKey',
    rule: { kind: 'tenant-admin' },
    tenanted: true,
    managed: true,
    document: (c, t) => `mutation { revokeApiKey(id: "${t.keys[c.tenant]}") { id } }`,
  },
  // Last: a permitted delete removes the database (later cells then answer NOT_FOUND, still not FORBIDDEN).
  {
    name: 'deleteDatabase',
    rule: { kind: 'database-admin' },
    tenanted: false,
    document: (c) => `mutation { deleteDatabase(name: "${c.database}") }`,
  },
];

/** What a caller holds, as the contract describes it. */
export interface Holder {
  readonly name: string;
  /** Superuser session or a superuser's unscoped admin key: everything. */
  readonly everything?: boolean;
  /** Its role in OWN_TENANT (or, with `everyTenant`, in every tenant). */
  readonly role?: Role;
  readonly everyTenant?: boolean;
  /** Databases a key is limited to. */
  readonly databases?: readonly string[];
  /** Not a Cairn user (an external token): owns no keys. */
  readonly external?: boolean;
}

const PERMISSIONS: Record<Role, readonly string[]> = {
  reader: ['read'],
  writer: ['read', 'write', 'delete'],
  admin: ['read', 'write', 'delete', 'share'],
};

export function expectedAllowed(holder: Holder, operation: Operation, cell: Cell): boolean {
  if (holder.everything) return true;
  const rule = operation.rule;
  if (rule.kind === 'anyone') return true;
  if (rule.kind === 'superuser') return false;
  const inScope = holder.databases === undefined || holder.databases.includes(cell.database);
  if (rule.kind === 'own-keys') {
    // Listing is always inside the scope; a new key for `cell.database` must be too.
    const within = operation.name === 'apiKeys' || inScope;
    return holder.role !== undefined && !holder.external && within;
  }
  // Users, keys of others and the audit trail are outside any database scope.
  if (rule.kind === 'tenant-admin' && holder.databases !== undefined) return false;
  const tenant =
    rule.kind === 'database-knowledge' || !operation.tenanted ? OWN_TENANT : cell.tenant;
  const role = holder.everyTenant || tenant === OWN_TENANT ? holder.role : undefined;
  if (role === undefined || !inScope) return false;
  switch (rule.kind) {
    case 'knowledge':
    case 'database-knowledge':
      return PERMISSIONS[role].includes(rule.need);
    case 'database-admin':
    case 'share':
    case 'tenant-admin':
      return role === 'admin';
  }
}

/** The cells of one operation: own/other database × own/other tenant (if it names one). */
export function cellsOf(operation: Operation): Cell[] {
  const tenants = operation.tenanted ? [OWN_TENANT, OTHER_TENANT] : [OWN_TENANT];
  return [OWN_DATABASE, OTHER_DATABASE].flatMap((database) =>
    tenants.map((tenant) => ({ database, tenant })),
  );
}
