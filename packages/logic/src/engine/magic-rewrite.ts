import type { Atom, BodyItem, Query } from '../language/ast.js';
import { orderBody } from './body-order.js';
import { emitFactored } from './factoring.js';
import type { ValueTable } from './interner.js';
import type { Plan, PlanContext, PlanItem, PlanLiteral, PlanRule, TermRef } from './plan.js';
import { adornedName, magicName, type RuleEntry, termRef } from './plan-names.js';
import { predicateKey } from './predicate-key.js';
import { dependencyTest, rightLinearShape } from './right-linear.js';

export type { RuleEntry } from './plan-names.js';

export interface RewriteInput {
  readonly rules: readonly RuleEntry[];
  readonly strata: ReadonlyMap<string, number>;
  readonly interner: ValueTable;
  /** Whether the tenant stores facts for a predicate key (`name/arity`). */
  readonly hasFacts: (key: string) => boolean;
  /** Factor right-linear recursion (off when proofs are wanted: factoring skips the chain). */
  readonly factor: boolean;
  /** Answer a lone literal with distinct variables straight from its relation (not with proofs). */
  readonly direct: boolean;
}

export const QUERY_RELATION = '?query';

/**
 * Magic-set rewriting (goal-directed bottom-up evaluation): a query with bound arguments only
 * derives tuples relevant to it. Positive body literals of derived predicates pass bindings
 * sideways into "magic" demand relations. Negated derived literals are answered by a separate
 * context per (predicate, adornment of its constants), evaluated to completion first: demand
 * for a negated goal then never depends on the rule that negates it, so the rewritten program
 * stays stratified (plain magic sets can break stratification).
 */
export function rewriteQuery(query: Query, input: RewriteInput): Plan {
  const rulesByPredicate = new Map<string, RuleEntry[]>();
  let dependsOn: ((from: string, to: string) => boolean) | undefined;
  for (const entry of input.rules) {
    const key = predicateKey(entry.rule.head);
    const list = rulesByPredicate.get(key) ?? [];
    list.push(entry);
    rulesByPredicate.set(key, list);
  }
  const contexts: PlanContext[] = [];
  const contextByGoal = new Map<string, PlanContext>();
  const pending: Array<{ context: PlanContext; key: string; adornment: string }> = [];
  const seen = new Set<string>();
  // Predicates demanded with no bound argument, per context: once all of p is computed, any
  // other adornment of p would only recompute a subset, so later literals read the full one.
  const everything = new Set<string>();

  const createContext = (level: number): PlanContext => {
    const context: PlanContext = {
      id: contexts.length,
      level,
      relations: new Map(),
      rules: [],
      seeds: [],
    };
    contexts.push(context);
    return context;
  };

  const demand = (context: PlanContext, key: string, arity: number, adornment: string): void => {
    const token = `${context.id}:${key}:${adornment}`;
    if (seen.has(token)) return;
    seen.add(token);
    if (!adornment.includes('b')) everything.add(`${context.id}:${key}`);
    context.relations.set(adornedName(key, adornment), arity);
    context.relations.set(magicName(key, adornment), countBound(adornment));
    pending.push({ context, key, adornment });
  };

  const negationContext = (atom: Atom): { context: PlanContext; name: string } => {
    const key = predicateKey(atom);
    const adornment = atom.args.map((t) => (t.kind === 'const' ? 'b' : 'f')).join('');
    const goal = `${key}#${adornment}`;
    let context = contextByGoal.get(goal);
    if (context === undefined) {
      context = createContext(input.strata.get(key) ?? 0);
      contextByGoal.set(goal, context);
      demand(context, key, atom.args.length, adornment);
    }
    const seed: number[] = [];
    for (const t of atom.args) if (t.kind === 'const') seed.push(input.interner.intern(t.value));
    context.seeds.push({ relation: magicName(key, adornment), tuple: seed });
    return { context, name: adornedName(key, adornment) };
  };

  /** Rewrites one body after its magic (demand) literal; emits the magic rules it implies. */
  const rewriteBody = (
    context: PlanContext,
    body: readonly BodyItem[],
    bound: Set<string>,
    slots: Map<string, number>,
    magic: PlanLiteral,
  ): PlanItem[] => {
    const out: PlanItem[] = [magic];
    for (const item of orderBody(body, bound)) {
      if (item.kind === 'compare') {
        out.push({
          kind: 'compare',
          operator: item.operator,
          left: termRef(item.left, slots, input.interner),
          right: termRef(item.right, slots, input.interner),
        });
        continue;
      }
      const atom = item.atom;
      const position = body.indexOf(item);
      const key = predicateKey(atom);
      const args = atom.args.map((t) => termRef(t, slots, input.interner));
      const derived = rulesByPredicate.has(key);
      if (item.negated) {
        if (!derived) {
          out.push({
            kind: 'literal',
            relation: { source: 'edb', key },
            predicate: atom.predicate,
            args,
            negated: true,
            position,
          });
        } else {
          const { context: lower, name } = negationContext(atom);
          out.push({
            kind: 'literal',
            relation: { source: 'lower', context: lower.id, name },
            predicate: atom.predicate,
            args,
            negated: true,
            position,
          });
        }
        continue;
      }
      if (!derived) {
        out.push({
          kind: 'literal',
          relation: { source: 'edb', key },
          predicate: atom.predicate,
          args,
          negated: false,
          position,
        });
      } else {
        const adornment = everything.has(`${context.id}:${key}`)
          ? 'f'.repeat(atom.args.length)
          : atom.args.map((t) => (t.kind === 'const' || bound.has(t.name) ? 'b' : 'f')).join('');
        demand(context, key, atom.args.length, adornment);
        const demandArgs = args.filter((_, i) => adornment[i] === 'b');
        const first = out[0] as PlanLiteral;
        const redundant =
          demandArgs.length === 0 &&
          first.relation.source === 'local' &&
          first.relation.name === magicName(key, adornment);
        if (!redundant)
          context.rules.push({
            head: magicName(key, adornment),
            headPredicate: atom.predicate,
            headArgs: demandArgs,
            body: [...out],
            slots: slots.size,
            origin: { kind: 'magic' },
          });
        out.push({
          kind: 'literal',
          relation: { source: 'local', name: adornedName(key, adornment) },
          predicate: atom.predicate,
          args,
          negated: false,
          position,
        });
      }
      for (const t of atom.args) if (t.kind === 'var') bound.add(t.name);
    }
    return out;
  };

  const queryContext = createContext(Number.POSITIVE_INFINITY);
  const querySlots = new Map<string, number>();
  const queryVariables: string[] = [];
  for (const item of query.body) {
    const terms = item.kind === 'compare' ? [item.left, item.right] : item.atom.args;
    for (const t of terms) {
      if (t.kind === 'var' && !querySlots.has(t.name)) {
        querySlots.set(t.name, querySlots.size);
        queryVariables.push(t.name);
      }
    }
  }
  const [lone] = query.body;
  if (
    input.direct &&
    query.body.length === 1 &&
    lone?.kind === 'literal' &&
    !lone.negated &&
    rulesByPredicate.has(predicateKey(lone.atom)) &&
    lone.atom.args.every((t) => t.kind === 'var') &&
    queryVariables.length === lone.atom.args.length
  ) {
    const key = predicateKey(lone.atom);
    const adornment = 'f'.repeat(lone.atom.args.length);
    demand(queryContext, key, lone.atom.args.length, adornment);
    queryContext.seeds.push({ relation: magicName(key, adornment), tuple: [] });
    drain();
    return {
      contexts,
      queryContext: queryContext.id,
      queryRelation: adornedName(key, adornment),
      queryVariables,
    };
  }
  const queryMagic = `magic:${QUERY_RELATION}`;
  queryContext.relations.set(QUERY_RELATION, queryVariables.length);
  queryContext.relations.set(queryMagic, 0);
  queryContext.seeds.push({ relation: queryMagic, tuple: [] });
  const queryBody = rewriteBody(queryContext, query.body, new Set(), querySlots, {
    kind: 'literal',
    relation: { source: 'local', name: queryMagic },
    predicate: QUERY_RELATION,
    args: [],
    negated: false,
  });
  queryContext.rules.push({
    head: QUERY_RELATION,
    headPredicate: QUERY_RELATION,
    headArgs: queryVariables.map((_, slot) => ({ slot })),
    body: queryBody,
    slots: querySlots.size,
    origin: { kind: 'query' },
  });

  drain();
  return { contexts, queryContext: queryContext.id, queryRelation: QUERY_RELATION, queryVariables };

  function drain(): void {
    while (pending.length > 0) {
      const { context, key, adornment } = pending.shift() as (typeof pending)[number];
      const rules = rulesByPredicate.get(key) ?? [];
      dependsOn ??= dependencyTest(rulesByPredicate);
      const shape = input.factor ? rightLinearShape(key, adornment, rules, dependsOn) : undefined;
      if (shape !== undefined) {
        emitFactored(context, key, adornment, shape, {
          interner: input.interner,
          hasFacts: input.hasFacts,
          rewriteBody,
        });
        continue;
      }
      for (const entry of rules) context.rules.push(rewriteRule(context, entry, adornment));
      if (input.hasFacts(key)) context.rules.push(bridgeRule(key, adornment));
    }
  }

  function rewriteRule(context: PlanContext, entry: RuleEntry, adornment: string): PlanRule {
    const { head, body } = entry.rule;
    const slots = new Map<string, number>();
    const headArgs = head.args.map((t) => termRef(t, slots, input.interner));
    const bound = new Set<string>();
    head.args.forEach((t, i) => {
      if (adornment[i] === 'b' && t.kind === 'var') bound.add(t.name);
    });
    for (const item of body) {
      const terms = item.kind === 'compare' ? [item.left, item.right] : item.atom.args;
      for (const t of terms) termRef(t, slots, input.interner);
    }
    const key = predicateKey(head);
    const magic: PlanLiteral = {
      kind: 'literal',
      relation: { source: 'local', name: magicName(key, adornment) },
      predicate: head.predicate,
      args: headArgs.filter((_, i) => adornment[i] === 'b'),
      negated: false,
    };
    const rewritten = rewriteBody(context, body, bound, slots, magic);
    return {
      head: adornedName(key, adornment),
      headPredicate: head.predicate,
      headArgs,
      body: rewritten,
      slots: slots.size,
      origin: { kind: 'rule', ruleId: entry.id },
    };
  }

  function bridgeRule(key: string, adornment: string): PlanRule {
    const arity = adornment.length;
    const args: TermRef[] = [];
    for (let i = 0; i < arity; i++) args.push({ slot: i });
    const predicate = key.slice(0, key.lastIndexOf('/'));
    return {
      head: adornedName(key, adornment),
      headPredicate: predicate,
      headArgs: args,
      body: [
        {
          kind: 'literal',
          relation: { source: 'local', name: magicName(key, adornment) },
          predicate,
          args: args.filter((_, i) => adornment[i] === 'b'),
          negated: false,
        },
        { kind: 'literal', relation: { source: 'edb', key }, predicate, args, negated: false },
      ],
      slots: arity,
      origin: { kind: 'bridge' },
    };
  }
}

function countBound(adornment: string): number {
  let n = 0;
  for (const c of adornment) if (c === 'b') n++;
  return n;
}
