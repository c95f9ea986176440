import { describe, expect, it } from 'vitest';
import type { Fact } from '../language/ast.js';
import { parseFact, parseQuery } from '../language/parser.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base.js';

// After a load where every fact is visible, a predicate's query cache is its table of stored
// tuples itself; these cases change that table after such a query.
const fact = (text: string, extra: Partial<Fact> = {}): Fact => ({ ...parseFact(text), ...extra });
const seen = (kb: KnowledgeBase, asOf: number): unknown[] =>
  kb
    .ask(parseQuery('p(?x)'), { asOf })
    .solutions.map((s) => s.x)
    .sort();

describe('the query cache shared with the stored tuples', () => {
  it('keeps a later fact out until its window opens, and shows it after', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)'), fact('p(b)')], at: 10 });
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('p(c)', { validFrom: 100 }), fact('p(d)', { validUntil: 30 })],
      at: 20,
    });
    expect(seen(kb, 25)).toEqual(['a', 'b', 'd']);
    expect(seen(kb, 50)).toEqual(['a', 'b']);
    expect(seen(kb, 150)).toEqual(['a', 'b', 'c']);
    expect(seen(kb, 15)).toEqual(['a', 'b']);
  });

  it('keeps out a new fact whose window lies outside the cached interval', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)'), fact('p(b)')], at: 10 });
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    // Window [5, 8) ends before the cached interval starts.
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('p(d)', { validFrom: 5, validUntil: 8 })],
      at: 20,
    });
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    expect(seen(kb, 6)).toEqual(['d']);
  });

  it('keeps out a new fact that starts after the cached interval ends', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)'), fact('p(b)')], at: 10 });
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    kb.apply({ type: 'retract', tenant: 'default', pattern: parseFact('p(a)').atom, at: 30 });
    expect(seen(kb, 25)).toEqual(['a', 'b']);
    kb.apply({
      type: 'assert',
      tenant: 'default',
      facts: [fact('p(e)', { validFrom: 40 })],
      at: 35,
    });
    expect(seen(kb, 25)).toEqual(['a', 'b']);
    expect(seen(kb, 45)).toEqual(['b', 'e']);
  });

  it('drops retracted facts and shows them again as of before the retract', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)'), fact('p(b)')], at: 10 });
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    kb.apply({ type: 'retract', tenant: 'default', pattern: parseFact('p(a)').atom, at: 30 });
    expect(seen(kb, 40)).toEqual(['b']);
    expect(seen(kb, 20)).toEqual(['a', 'b']);
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)')], at: 50 });
    expect(seen(kb, 60)).toEqual(['a', 'b']);
    expect(seen(kb, 40)).toEqual(['b']);
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('not p(b)')], at: 70 });
    expect(seen(kb, 80)).toEqual(['a']);
    expect(seen(kb, 65)).toEqual(['a', 'b']);
  });

  it('appends facts asserted now to the cache a query already uses', () => {
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(a)')], at: 10 });
    expect(seen(kb, 10)).toEqual(['a']);
    kb.apply({ type: 'assert', tenant: 'default', facts: [fact('p(b)'), fact('p(a)')], at: 10 });
    expect(seen(kb, 10)).toEqual(['a', 'b']);
    expect(kb.predicates().find((p) => p.name === 'p')?.facts).toBe(2);
  });
});
