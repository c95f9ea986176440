import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact, Value } from '../language/ast.js';
import { createKnowledgeBase } from './knowledge-base.js';
import type { Operation } from './types.js';

// Random histories of asserts (with windows and TTLs), explicit falses, retracts and compactions,
// interleaved with queries at random instants: what a query sees must always equal the stored
// facts visible at that instant, however the cached relation was built up.
const value = fc.constantFrom<Value>('a', 'b', 'c', 1);
const instant = fc.integer({ min: 0, max: 60 });
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq: 3 });
const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('assert' as const),
      value,
      negated: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
      from: rarely(instant),
      until: rarely(instant),
      ttl: rarely(fc.integer({ min: 0, max: 3 })),
    }),
  },
  fc.record({ kind: fc.constant('retract' as const), value: fc.option(value, { nil: undefined }) }),
  fc.record({ kind: fc.constant('compact' as const) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ask' as const), at: instant }) },
);

describe('visibility at an instant', () => {
  it('queries see exactly the stored facts visible then', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(step, fc.integer({ min: 0, max: 5 })), { minLength: 5, maxLength: 40 }),
        (steps) => {
          const kb = createKnowledgeBase();
          let now = 0;
          for (const [s, advance] of steps) {
            now += advance;
            let op: Operation | undefined;
            if (s.kind === 'assert') {
              const fact: Fact = {
                kind: 'fact',
                atom: { predicate: 'p', args: [{ kind: 'const', value: s.value }] },
                negated: s.negated,
                ...(s.from !== undefined ? { validFrom: s.from } : {}),
                ...(s.until !== undefined ? { validUntil: s.until } : {}),
                ...(s.ttl !== undefined ? { ttlSeconds: s.ttl / 1000 } : {}),
              };
              op = { type: 'assert', tenant: 'default', facts: [fact], at: now };
            } else if (s.kind === 'retract') {
              const arg =
                s.value === undefined
                  ? { kind: 'var' as const, name: 'x' }
                  : { kind: 'const' as const, value: s.value };
              op = {
                type: 'retract',
                tenant: 'default',
                pattern: { predicate: 'p', args: [arg] },
                at: now,
              };
            } else if (s.kind === 'compact') {
              op = { type: 'compact', at: now };
            }
            if (op !== undefined) {
              kb.apply(op);
              continue;
            }
            const at = s.kind === 'ask' ? s.at : now;
            for (const t of [at, now]) {
              const query = {
                kind: 'query',
                body: [
                  {
                    kind: 'literal',
                    atom: { predicate: 'p', args: [{ kind: 'var', name: 'x' }] },
                    negated: false,
                  },
                ],
              } as const;
              const seen = kb
                .ask(query, { asOf: t })
                .solutions.map((sol) => JSON.stringify(sol.x))
                .sort();
              const stored = [
                ...new Set(
                  [...kb.facts({ asOf: t })]
                    .filter((f) => !f.fact.negated)
                    .map((f) => JSON.stringify((f.fact.atom.args[0] as { value: Value }).value)),
                ),
              ].sort();
              expect(seen, `at ${t}`).toEqual(stored);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
