import { describe, expect, it } from 'vitest';
import { solve } from '../knowledge-base/solve.js';
import type { Atom, Clause, Fact, Rule, Term, Value } from '../language/ast.js';
import { parseProgram, parseQuery } from '../language/parser.js';
import type { Proof } from './types.js';

const PROGRAM = parseProgram(`
  edge(a, b). edge(b, c). edge(c, a). edge(c, d). edge(d, e). blocked(e). weight(a, 3). weight(d, 9).
  path(?x, ?y) :- edge(?x, ?y).
  path(?x, ?y) :- path(?x, ?z), edge(?z, ?y).
  open(?x, ?y) :- path(?x, ?y), not blocked(?y).
  heavy(?x, ?y) :- open(?x, ?y), weight(?y, ?w), ?w > 5.
  unreached(?x) :- edge(?x, ?y), not path(?y, ?x).
`);
const rules = PROGRAM.filter((c): c is Rule => c.kind === 'rule');
const factKeys = new Set(
  PROGRAM.filter((c): c is Fact => c.kind === 'fact').map((f) => JSON.stringify(f.atom)),
);

const ground = (atom: Atom): Atom => ({
  predicate: atom.predicate,
  args: atom.args.map((t) => ({ kind: 'const', value: (t as { value: Value }).value })),
});

function unify(pattern: Atom, atom: Atom, binding: Map<string, Value>): boolean {
  if (pattern.predicate !== atom.predicate || pattern.args.length !== atom.args.length)
    return false;
  return pattern.args.every((t: Term, i) => {
    const value = (atom.args[i] as { value: Value }).value;
    if (t.kind === 'const') return t.value === value;
    const bound = binding.get(t.name);
    if (bound === undefined) binding.set(t.name, value);
    return bound === undefined || bound === value;
  });
}

const atomOf = (p: Proof): Atom | undefined =>
  p.kind === 'fact'
    ? p.fact.atom
    : p.kind === 'rule'
      ? p.head
      : p.kind === 'query'
        ? undefined
        : p.atom;

/** Checks a proof node: leaves are stored facts; a rule node's head follows from its children. */
function assertValid(proof: Proof, program: readonly Clause[]): void {
  if (proof.kind === 'fact') {
    expect(
      factKeys.has(JSON.stringify(ground(proof.fact.atom))),
      JSON.stringify(proof.fact.atom),
    ).toBe(true);
    return;
  }
  if (proof.kind === 'absent') {
    expect(
      solve(program, {
        kind: 'query',
        body: [{ kind: 'literal', atom: proof.atom, negated: false }],
      }).count,
    ).toBe(0);
    return;
  }
  if (proof.kind !== 'rule') return;
  const index = Number(proof.rule.slice(1)) - 1;
  const rule = rules[index] as Rule;
  const binding = new Map<string, Value>();
  expect(unify(rule.head, proof.head, binding)).toBe(true);
  const literals = rule.body.filter((b) => b.kind === 'literal');
  expect(proof.children).toHaveLength(literals.length);
  literals.forEach((literal, i) => {
    const child = proof.children[i] as Proof;
    expect(child.kind === 'absent').toBe(literal.negated);
    expect(unify(literal.atom, atomOf(child) as Atom, binding), `${proof.rule} child ${i}`).toBe(
      true,
    );
  });
  for (const item of rule.body) {
    if (item.kind !== 'compare') continue;
    const value = (t: Term): Value =>
      t.kind === 'const' ? t.value : (binding.get(t.name) as Value);
    if (item.operator === '>')
      expect((value(item.left) as number) > (value(item.right) as number)).toBe(true);
  }
  for (const child of proof.children) assertValid(child, program);
}

describe('proofs', () => {
  for (const text of [
    'path(a, ?y)',
    'open(?x, ?y)',
    'heavy(?x, ?y)',
    'unreached(?x)',
    'path(?x, ?y), not blocked(?y)',
  ]) {
    it(`are valid for every solution of ${text}`, () => {
      const result = solve(PROGRAM, parseQuery(text), { proof: true });
      expect(result.count).toBeGreaterThan(0);
      expect(result.proofs).toHaveLength(result.solutions.length);
      for (const proof of result.proofs ?? []) {
        expect(proof.kind).toBe('query');
        if (proof.kind === 'query') for (const child of proof.children) assertValid(child, PROGRAM);
      }
    });
  }

  it('name the rule and the facts behind an answer', () => {
    const result = solve(PROGRAM, parseQuery('heavy(a, d)'), { proof: true });
    const [root] = result.proofs ?? [];
    expect(
      root?.kind === 'query' && root.children[0]?.kind === 'rule'
        ? root.children[0].rule
        : undefined,
    ).toBe('r4');
  });

  it('are bounded in size on long derivation chains', () => {
    const chain = parseProgram(
      `${Array.from({ length: 3000 }, (_, i) => `edge(n${i}, n${i + 1}).`).join(' ')}
       path(?x, ?y) :- edge(?x, ?y). path(?x, ?y) :- path(?x, ?z), edge(?z, ?y).`,
    );
    const result = solve(chain, parseQuery('path(n0, n3000)'), { proof: true });
    let nodes = 0;
    let truncated = 0;
    const walk = (p: Proof): void => {
      nodes++;
      if (p.kind === 'truncated') truncated++;
      if (p.kind === 'rule' || p.kind === 'query') p.children.forEach(walk);
    };
    for (const p of result.proofs ?? []) walk(p);
    expect(truncated).toBe(1);
    expect(nodes).toBeLessThan(1000);
  });
});
