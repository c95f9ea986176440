import type { Atom, Value } from '../language/ast.js';
import type { EvaluatedContext } from './evaluate.js';
import type { ValueTable } from './interner.js';
import type { PlanLiteral, PlanRule, TermRef } from './plan.js';
import type { Relation } from './relation.js';
import type { Proof } from './types.js';

// Proofs are bounded: a long recursive chain (a path of 10k edges) would otherwise produce
// a proof as large as the data. Past these bounds a branch becomes a `truncated` leaf.
const MAX_NODES = 2_000;
const MAX_DEPTH = 200;

interface Builder {
  readonly contexts: readonly EvaluatedContext[];
  readonly interner: ValueTable;
  readonly edb: (key: string) => Relation | undefined;
  nodes: number;
}

/** The proof tree of tuple `t` of the query relation, rebuilt from first derivations. */
export function buildProof(
  contexts: readonly EvaluatedContext[],
  contextId: number,
  relationName: string,
  t: number,
  interner: ValueTable,
  edb: (key: string) => Relation | undefined,
): Proof {
  const builder: Builder = { contexts, interner, edb, nodes: 0 };
  const evaluated = contexts[contextId] as EvaluatedContext;
  const derivation = evaluated.derivations?.get(relationName)?.[t];
  if (derivation === undefined) return { kind: 'query', children: [] };
  return {
    kind: 'query',
    children: bodyProofs(builder, contextId, derivation.rule, derivation.matched, 0),
  };
}

function bodyProofs(
  b: Builder,
  contextId: number,
  rule: PlanRule,
  matched: Int32Array,
  depth: number,
): Proof[] {
  const slots = new Map<number, number>();
  // Rebuild variable bindings from the matched tuples: negated atoms need their values.
  rule.body.forEach((item, i) => {
    if (item.kind !== 'literal' || item.negated) return;
    const relation = relationOf(b, contextId, item);
    const t = matched[i] as number;
    if (relation === undefined || t < 0) return;
    item.args.forEach((a, column) => {
      if (a.slot !== undefined)
        slots.set(a.slot, relation.data[t * relation.arity + column] as number);
    });
  });
  const value = (a: TermRef): Value =>
    b.interner.value(a.slot === undefined ? a.id : (slots.get(a.slot) as number));
  const children: Array<{ proof: Proof; position: number }> = [];
  rule.body.forEach((item, i) => {
    if (item.kind !== 'literal') return;
    if (item.relation.source === 'local' && item.relation.name.startsWith('magic:')) return;
    const atom: Atom = {
      predicate: item.predicate,
      args: item.args.map((a) => ({ kind: 'const', value: value(a) })),
    };
    if (item.negated) {
      children.push({ proof: { kind: 'absent', atom }, position: item.position ?? i });
      return;
    }
    const proof = literalProof(b, contextId, item, matched[i] as number, atom, depth + 1);
    children.push({ proof, position: item.position ?? i });
  });
  return children.sort((x, y) => x.position - y.position).map((c) => c.proof);
}

function literalProof(
  b: Builder,
  contextId: number,
  item: PlanLiteral,
  t: number,
  atom: Atom,
  depth: number,
): Proof {
  if (item.relation.source === 'edb')
    return { kind: 'fact', fact: { kind: 'fact', atom, negated: false } };
  if (item.relation.source !== 'local') return { kind: 'truncated', atom };
  const derivation = b.contexts[contextId]?.derivations?.get(item.relation.name)?.[t];
  if (derivation === undefined) return { kind: 'truncated', atom };
  if (derivation.rule.origin.kind === 'bridge')
    return { kind: 'fact', fact: { kind: 'fact', atom, negated: false } };
  if (derivation.rule.origin.kind !== 'rule' || depth > MAX_DEPTH || ++b.nodes > MAX_NODES) {
    return { kind: 'truncated', atom };
  }
  return {
    kind: 'rule',
    rule: derivation.rule.origin.ruleId,
    head: atom,
    children: bodyProofs(b, contextId, derivation.rule, derivation.matched, depth),
  };
}

function relationOf(b: Builder, contextId: number, item: PlanLiteral): Relation | undefined {
  const ref = item.relation;
  if (ref.source === 'edb') return b.edb(ref.key);
  if (ref.source === 'local') return b.contexts[contextId]?.relations.get(ref.name);
  return b.contexts[ref.context]?.relations.get(ref.name);
}
