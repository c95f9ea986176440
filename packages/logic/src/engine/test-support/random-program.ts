// Seeded random stratified programs small enough for the naive oracle: a few base and derived
// predicates of arity 1–3 with levels; rules only negate predicates of a lower level, so every
// program is stratifiable by construction. Data uses a tiny domain so recursion meets cycles.
import type { Atom, BodyItem, Fact, Query, Rule, Term, Value } from '../../language/ast.js';

export interface RandomProgram {
  readonly facts: Fact[];
  readonly strata: Rule[][];
  readonly query: Query;
}

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const DOMAIN: Value[] = [0, 1, 2, 3, 'a', 'b'];
const VARIABLES = ['x', 'y', 'z', 'w'];

interface PredicateSpec {
  readonly name: string;
  readonly arity: number;
  readonly level: number;
}

const c = (value: Value): Term => ({ kind: 'const', value });
const v = (name: string): Term => ({ kind: 'var', name });

export function randomProgram(seed: number): RandomProgram {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const base: PredicateSpec[] = [
    { name: 'e', arity: 2, level: 0 },
    { name: 'n', arity: 1, level: 0 },
    { name: 't', arity: 3, level: 0 },
  ];
  const derived: PredicateSpec[] = [];
  const derivedCount = 2 + int(3);
  for (let i = 0; i < derivedCount; i++)
    derived.push({ name: `p${i}`, arity: 1 + int(3), level: 1 + int(2) });
  const all = [...base, ...derived];

  const facts: Fact[] = [];
  for (const p of base) {
    const count = p.arity === 1 ? 3 + int(3) : 6 + int(10);
    for (let i = 0; i < count; i++) {
      const args = Array.from({ length: p.arity }, () =>
        c(pick(DOMAIN.slice(0, p.name === 't' ? 6 : 4))),
      );
      facts.push({ kind: 'fact', atom: { predicate: p.name, args }, negated: false });
    }
  }

  const atomOf = (p: PredicateSpec, vars: readonly string[]): Atom => ({
    predicate: p.name,
    args: Array.from({ length: p.arity }, () =>
      random() < 0.1 ? c(pick(DOMAIN.slice(0, 4))) : v(pick(vars)),
    ),
  });
  const boundVars = (items: BodyItem[]): string[] => {
    const out = new Set<string>();
    for (const item of items) {
      if (item.kind === 'literal' && !item.negated)
        for (const t of item.atom.args) if (t.kind === 'var') out.add(t.name);
    }
    return [...out];
  };

  const rules: Array<{ rule: Rule; level: number }> = [];
  for (const head of derived) {
    const ruleCount = 1 + int(3);
    for (let r = 0; r < ruleCount; r++) {
      const body: BodyItem[] = [];
      const positives = 1 + int(3);
      for (let i = 0; i < positives; i++) {
        const candidates = all.filter((p) => p.level <= head.level);
        body.push({
          kind: 'literal',
          atom: atomOf(pick(candidates), VARIABLES.slice(0, 3)),
          negated: false,
        });
      }
      let bound = boundVars(body);
      if (bound.length === 0) {
        body.push({ kind: 'literal', atom: { predicate: 'n', args: [v('x')] }, negated: false });
        bound = boundVars(body);
      }
      if (random() < 0.4) {
        const lower = all.filter((p) => p.level < head.level);
        body.push({ kind: 'literal', atom: atomOf(pick(lower), bound), negated: true });
      }
      if (random() < 0.35) {
        const operator = pick(['=', '!=', '<', '<=', '>', '>='] as const);
        const right = random() < 0.5 ? v(pick(bound)) : c(pick(DOMAIN));
        body.push({ kind: 'compare', operator, left: v(pick(bound)), right });
      }
      const headAtom: Atom = {
        predicate: head.name,
        args: Array.from({ length: head.arity }, () =>
          random() < 0.1 ? c(pick(DOMAIN)) : v(pick(bound)),
        ),
      };
      rules.push({ rule: { kind: 'rule', head: headAtom, body }, level: head.level });
    }
  }
  const strata: Rule[][] = [[], [], []];
  for (const { rule, level } of rules) (strata[level - 1] as Rule[]).push(rule);

  const target = pick(derived);
  const queryVars = ['a', 'b', 'c'];
  const queryAtom: Atom = {
    predicate: target.name,
    args: Array.from({ length: target.arity }, (_, i) =>
      random() < 0.2 ? c(pick(DOMAIN.slice(0, 4))) : v(pick(queryVars.slice(0, i + 1))),
    ),
  };
  const queryBody: BodyItem[] = [{ kind: 'literal', atom: queryAtom, negated: false }];
  const qVars = boundVars(queryBody);
  if (qVars.length > 0 && random() < 0.3) {
    const negTarget = pick(derived);
    queryBody.push({
      kind: 'literal',
      atom: {
        predicate: negTarget.name,
        args: Array.from({ length: negTarget.arity }, () =>
          random() < 0.5 ? v(pick(qVars)) : c(pick(DOMAIN)),
        ),
      },
      negated: true,
    });
  }
  return { facts, strata, query: { kind: 'query', body: queryBody } };
}
