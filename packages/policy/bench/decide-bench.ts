// How much a request pays for asking the policy: decide() per call for the usual principals,
// against a baseline measured in the same run (one Set lookup: the cheapest inline check a
// resolver could do instead). Prints one JSON document.
import { type Action, decide, type Grant, type Principal, type Resource } from '../src/index.js';

const owner = {
  userId: 'u1',
  superuser: false,
  memberships: [
    { tenant: 'acme', role: 'writer' as const },
    { tenant: 'globex', role: 'reader' as const },
  ],
};
const principals: Record<string, Principal> = {
  user: { kind: 'user', ...owner },
  'api-key': {
    kind: 'api-key',
    keyId: 'k',
    owner,
    role: 'writer',
    databases: ['sales'],
    tenants: null,
  },
  'external-token': { kind: 'external-token', subject: 's', tenant: 'acme', roles: ['writer'] },
  superuser: { kind: 'user', userId: 'root', superuser: true, memberships: [] },
};

function grantsOf(count: number): Grant[] {
  return Array.from({ length: count }, (_, i) => ({
    database: 'sales',
    permission: 'write',
    subject:
      i % 3 === 0
        ? { userId: `user-${i}` }
        : i % 3 === 1
          ? { tenant: `tenant-${i}` }
          : { role: 'admin' },
  }));
}

const cases: Array<{ action: Action; resource: Resource }> = [
  { action: 'ask', resource: { database: 'sales', tenant: 'acme' } },
  { action: 'tell', resource: { database: 'sales', tenant: 'acme' } },
  { action: 'tell', resource: { database: 'sales', tenant: 'globex' } },
  {
    action: 'createApiKey',
    resource: { ownerUserId: 'u1', role: 'reader', databases: ['sales'], tenants: ['acme'] },
  },
];

function measure(run: () => unknown, minMs = 300): number {
  let sink = 0;
  for (let i = 0; i < 10_000; i++) sink ^= run() ? 1 : 0;
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 10_000; i++) sink ^= run() ? 1 : 0;
    calls += 10_000;
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink === 2) console.error('unreachable');
  return Number(elapsed) / calls;
}

const granted = new Set(['read', 'write']);
const baselineNs = measure(() => granted.has('write'));
const results: Record<
  string,
  { nsPerCall: number; callsPerSecond: number; timesBaseline: number }
> = {};
for (const grantCount of [0, 10, 100]) {
  const grants = grantsOf(grantCount);
  for (const [name, principal] of Object.entries(principals)) {
    // "first": a new principal object per call (the first decision of a request);
    // "again": the same object (later decisions of the request reuse its standing).
    for (const reuse of [false, true]) {
      let index = 0;
      const ns = measure(() => {
        const c = cases[index++ % cases.length] as (typeof cases)[number];
        const who = reuse ? principal : { ...principal };
        return decide(who, c.action, c.resource, grants).allowed;
      });
      results[`${name}, ${grantCount} grants, ${reuse ? 'again' : 'first'}`] = {
        nsPerCall: Math.round(ns),
        callsPerSecond: Math.round(1e9 / ns),
        timesBaseline: Math.round(ns / baselineNs),
      };
    }
  }
}
console.log(
  JSON.stringify(
    {
      bench: 'policy.decide',
      node: process.version,
      baselineNsPerCall: Number(baselineNs.toFixed(2)),
      results,
    },
    null,
    2,
  ),
);
