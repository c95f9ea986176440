import type { ValueTable } from './interner.js';
import { compileRule, type RoundRange, type ScanMode } from './join-compiler.js';
import type { Budget } from './limits.js';
import type { Plan, PlanContext, PlanLiteral, PlanRule } from './plan.js';
import { Relation } from './relation.js';

/** How a derived tuple was first produced: the rule and the tuple matched at each position. */
export interface Derivation {
  readonly rule: PlanRule;
  readonly matched: Int32Array;
}

export interface EvaluatedContext {
  readonly context: PlanContext;
  readonly relations: Map<string, Relation>;
  /** Present when proofs were requested: derivations per relation, indexed by tuple number. */
  readonly derivations?: Map<string, Derivation[]>;
}

export interface EvaluationInput {
  readonly plan: Plan;
  readonly interner: ValueTable;
  readonly budget: Budget;
  /** Stored facts of a predicate key as of the query instant, or undefined when there are none. */
  readonly edb: (key: string) => Relation | undefined;
  readonly recordDerivations: boolean;
}

/**
 * Semi-naive bottom-up evaluation of a magic-rewritten plan. Contexts run lowest stratum
 * first, each to its fixpoint; within a context every rule is positive (negation only reads
 * completed lower contexts or stored facts), so one semi-naive loop suffices. Each round
 * joins at least one tuple new in the previous round: the first delta position reads the
 * delta, earlier positions the old tuples, later positions everything, so no derivation is
 * repeated across rounds.
 */
export function evaluatePlan(input: EvaluationInput): EvaluatedContext[] {
  const { plan, interner, budget } = input;
  const results: EvaluatedContext[] = new Array(plan.contexts.length);
  const order = [...plan.contexts].sort((a, b) => a.level - b.level || b.id - a.id);
  for (const context of order) {
    const relations = new Map<string, Relation>();
    for (const [name, arity] of context.relations) relations.set(name, new Relation(arity));
    const derivations = input.recordDerivations ? new Map<string, Derivation[]>() : undefined;
    if (derivations !== undefined) for (const name of relations.keys()) derivations.set(name, []);
    const ranges = new Map<string, RoundRange>();
    for (const name of relations.keys()) ranges.set(name, { lo: 0, hi: 0 });

    for (const seed of context.seeds) {
      const relation = relations.get(seed.relation) as Relation;
      if (
        relation.insert(Int32Array.from(seed.tuple)) >= 0 &&
        ++budget.derived > budget.maxDerivedTuples
      )
        budget.derivedExceeded();
    }

    const relationOf = (item: PlanLiteral): Relation | undefined => {
      const ref = item.relation;
      if (ref.source === 'edb') return input.edb(ref.key);
      if (ref.source === 'local') return relations.get(ref.name);
      return (results[ref.context] as EvaluatedContext).relations.get(ref.name);
    };
    const variants: Array<{ run: () => void; delta: RoundRange }> = [];
    for (const rule of context.rules) {
      const head = relations.get(rule.head) as Relation;
      const localPositions: number[] = [];
      rule.body.forEach((item, i) => {
        if (item.kind === 'literal' && !item.negated && item.relation.source === 'local')
          localPositions.push(i);
      });
      const trace = derivations?.get(rule.head);
      const onDerived =
        trace === undefined
          ? undefined
          : (t: number, matched: Int32Array): void => {
              trace[t] = { rule, matched: matched.slice() };
            };
      for (const deltaPosition of localPositions) {
        const modes: ScanMode[] = rule.body.map((item, i) => {
          if (item.kind !== 'literal' || item.negated || item.relation.source !== 'local')
            return 'static';
          if (i < deltaPosition) return 'old';
          return i === deltaPosition ? 'delta' : 'all';
        });
        const run = compileRule(rule, modes, {
          interner,
          budget,
          head,
          onDerived,
          relation: relationOf,
          range: (item) =>
            item.relation.source === 'local' ? ranges.get(item.relation.name) : undefined,
        });
        const literal = rule.body[deltaPosition] as PlanLiteral;
        variants.push({
          run,
          delta: ranges.get((literal.relation as { name: string }).name) as RoundRange,
        });
      }
    }

    for (;;) {
      let changed = false;
      for (const [name, range] of ranges) {
        range.lo = range.hi;
        range.hi = (relations.get(name) as Relation).size;
        if (range.hi > range.lo) changed = true;
      }
      if (!changed) break;
      for (const variant of variants) {
        if (variant.delta.hi > variant.delta.lo) {
          if (++budget.steps > budget.maxSteps) budget.stepsExceeded();
          variant.run();
        }
      }
    }
    results[context.id] =
      derivations === undefined ? { context, relations } : { context, relations, derivations };
  }
  return results;
}
