import { describe, expect, it } from 'vitest';
import type { Fact } from '../language/ast.js';
import { parseProgram, parseQuery, parseRule } from '../language/parser.js';
import { createKnowledgeBase } from './knowledge-base.js';

const fact = (text: string, extra: Partial<Fact> = {}): Fact => {
  const [clause] = parseProgram(text);
  if (clause?.kind !== 'fact') throw new Error('test setup: not a fact');
  return { ...clause, ...extra };
};

describe('validity windows', () => {
  it('hide facts outside their window, also through rules, and answer as of a past instant', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'teach', id: 'r', rule: parseRule('boss(?x) :- manages(?x, ?y)'), at: 0 });
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [
        fact('manages(ann, bob).', { validFrom: 100, validUntil: 200 }),
        fact('manages(cid, dan).', { validFrom: 150 }),
        fact('manages(eve, fay).'),
      ],
      at: 50,
    });
    const bosses = (asOf: number): unknown[] =>
      kb
        .ask(parseQuery('boss(?x)'), { asOf })
        .solutions.map((s) => s.x)
        .sort();
    expect(bosses(99)).toEqual(['eve']);
    expect(bosses(100)).toEqual(['ann', 'eve']);
    expect(bosses(199)).toEqual(['ann', 'cid', 'eve']);
    expect(bosses(200)).toEqual(['cid', 'eve']);
  });

  it('TTL resolves to validUntil at assertion time', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('token(t1).', { ttlSeconds: 60 })],
      at: 1_000,
    });
    expect(kb.ask(parseQuery('token(?t)'), { asOf: 60_999 }).count).toBe(1);
    expect(kb.ask(parseQuery('token(?t)'), { asOf: 61_000 }).count).toBe(0);
    const [listed] = [...kb.facts({ asOf: 2_000 })];
    expect(listed?.fact.validUntil).toBe(61_000);
  });

  it('retract closes the window; compaction then removes closed facts for good', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a).'), fact('p(b).')], at: 10 });
    const pattern = { predicate: 'p', args: [{ kind: 'const', value: 'a' }] } as const;
    kb.apply({ type: 'retract', tenant: 'default', pattern, at: 20 });
    expect(kb.ask(parseQuery('p(?x)'), { asOf: 15 }).count).toBe(2);
    expect(kb.ask(parseQuery('p(?x)'), { asOf: 25 }).count).toBe(1);
    // Re-asserting after a retract keeps the old version for as-of queries.
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a).')], at: 30 });
    expect(kb.ask(parseQuery('p(a)'), { asOf: 25 }).count).toBe(0);
    expect(kb.ask(parseQuery('p(a)'), { asOf: 15 }).count).toBe(1);
    expect(kb.ask(parseQuery('p(a)'), { asOf: 35 }).count).toBe(1);
    expect(kb.apply({ type: 'compact', at: 40 })).toEqual({ affected: 1 });
    expect(kb.ask(parseQuery('p(a)'), { asOf: 15 }).count).toBe(0);
    expect(kb.ask(parseQuery('p(?x)'), { asOf: 35 }).count).toBe(2);
  });

  it('compaction keeps facts whose window is still open', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('q(a).', { validUntil: 100 }), fact('q(b).', { validUntil: 300 })],
      at: 0,
    });
    expect(kb.apply({ type: 'compact', at: 200 })).toEqual({ affected: 1 });
    expect([...kb.facts({ asOf: 0 })].map((f) => f.fact.atom.args[0])).toEqual([
      { kind: 'const', value: 'b' },
    ]);
  });
});

describe('compaction of a whole predicate', () => {
  it('leaves the predicate usable for later assertions', () => {
    const kb = createKnowledgeBase();
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('s(a).', { validUntil: 10 })],
      at: 0,
    });
    kb.apply({ type: 'compact', at: 20 });
    expect(kb.predicates()).toEqual([]);
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('s(b).')], at: 30 });
    expect(kb.ask(parseQuery('s(?x)'), { asOf: 40 }).solutions).toEqual([{ x: 'b' }]);
    expect(kb.predicates()).toEqual([{ name: 's', arity: 1, facts: 1, derived: false }]);
  });
});
