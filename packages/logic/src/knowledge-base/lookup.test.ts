import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact, Term } from '../language/ast.js';
import { createKnowledgeBase } from './knowledge-base.js';

const constant = fc.constantFrom<Term>(
  { kind: 'const', value: 'a' },
  { kind: 'const', value: 'b' },
  { kind: 'const', value: 1 },
  { kind: 'const', value: true },
);
const term = fc.oneof(
  constant,
  fc.constantFrom<Term>({ kind: 'var', name: 'x' }, { kind: 'var', name: 'y' }),
);

describe('stored-fact lookups', () => {
  it('answer exactly like full evaluation (constants, repeated variables, unknown constants)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(constant, constant), { maxLength: 30 }),
        fc.tuple(term, term),
        (pairs, [left, right]) => {
          const kb = createKnowledgeBase();
          const facts: Fact[] = pairs.map(([a, b]) => ({
            kind: 'fact',
            atom: { predicate: 'e', args: [a, b] },
            negated: false,
          }));
          kb.apply({ type: 'assert', tenant: 'default', facts, at: 0 });
          const query = {
            kind: 'query',
            body: [
              { kind: 'literal', atom: { predicate: 'e', args: [left, right] }, negated: false },
            ],
          } as const;
          const direct = kb.ask(query, { asOf: 0 });
          // Proofs force the planned evaluation path.
          const planned = kb.ask(query, { asOf: 0, proof: true });
          const sorted = (xs: readonly unknown[]): string[] =>
            xs.map((x) => JSON.stringify(x)).sort();
          expect(sorted(direct.solutions)).toEqual(sorted(planned.solutions));
          expect(direct.count).toBe(planned.count);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('find nothing for a constant the knowledge base has never seen', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [
        {
          kind: 'fact',
          atom: { predicate: 'e', args: [{ kind: 'const', value: 'a' }] },
          negated: false,
        },
      ],
      at: 0,
    });
    const query = {
      kind: 'query',
      body: [
        {
          kind: 'literal',
          atom: { predicate: 'e', args: [{ kind: 'const', value: 'never' }] },
          negated: false,
        },
      ],
    } as const;
    expect(kb.ask(query, { asOf: 0 })).toEqual({ solutions: [], count: 0, truncated: false });
  });
});
