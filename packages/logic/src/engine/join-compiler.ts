import { compareOrdered } from './compare.js';
import type { ValueTable } from './interner.js';
import type { Budget } from './limits.js';
import { MAX_INDEXED_COLUMNS } from './mask-index.js';
import type { PlanComparison, PlanItem, PlanLiteral, PlanRule, TermRef } from './plan.js';
import type { Relation } from './relation.js';

/** The slice of a local relation one semi-naive round reads: delta = [lo, hi), old = [0, lo). */
export interface RoundRange {
  lo: number;
  hi: number;
}

export type ScanMode = 'old' | 'delta' | 'all' | 'static';

export interface CompileEnvironment {
  readonly interner: ValueTable;
  readonly budget: Budget;
  /** The relation a literal reads, or undefined when it holds nothing (e.g. no stored facts). */
  relation(item: PlanLiteral): Relation | undefined;
  range(item: PlanLiteral): RoundRange | undefined;
  readonly head: Relation;
  /** Called with each new head tuple and the tuple number matched at each body position. */
  readonly onDerived?: ((t: number, matched: Int32Array) => void) | undefined;
}

type Step = (slots: Int32Array) => void;

/**
 * Compiles one semi-naive variant of a rule into nested closures, once per evaluation: body
 * position `i` reads its relation in `modes[i]`. Each literal step uses the hash index on the
 * arguments bound at that point, so a bound pattern never scans its relation.
 */
export function compileRule(
  rule: PlanRule,
  modes: readonly ScanMode[],
  env: CompileEnvironment,
): () => void {
  const matched = new Int32Array(rule.body.length).fill(-1);
  const boundAt: Array<Set<number>> = [];
  const bound = new Set<number>();
  for (const item of rule.body) {
    boundAt.push(new Set(bound));
    if (item.kind === 'literal' && !item.negated)
      for (const t of item.args) if (t.slot !== undefined) bound.add(t.slot);
  }
  let step: Step = headStep(rule, env, matched);
  for (let i = rule.body.length - 1; i >= 0; i--) {
    const item = rule.body[i] as PlanItem;
    if (item.kind === 'compare') step = compareStep(item, env.interner, step);
    else if (item.negated) step = negationStep(item, env, step);
    else
      step = literalStep(
        item,
        i,
        modes[i] ?? 'static',
        boundAt[i] as Set<number>,
        env,
        matched,
        step,
      );
  }
  const slots = new Int32Array(Math.max(1, rule.slots));
  const first = step;
  return () => first(slots);
}

function headStep(rule: PlanRule, env: CompileEnvironment, matched: Int32Array): Step {
  const head = env.head;
  const args = rule.headArgs;
  const buffer = new Int32Array(args.length);
  const budget = env.budget;
  const onDerived = env.onDerived;
  return (slots) => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as TermRef;
      buffer[i] = a.slot === undefined ? a.id : (slots[a.slot] as number);
    }
    const t = head.insert(buffer);
    if (t < 0) return;
    if (++budget.derived > budget.maxDerivedTuples) budget.derivedExceeded();
    if (onDerived !== undefined) onDerived(t, matched);
  };
}

function compareStep(item: PlanComparison, interner: ValueTable, next: Step): Step {
  const { operator, left, right } = item;
  const read = (t: TermRef, slots: Int32Array): number =>
    t.slot === undefined ? t.id : (slots[t.slot] as number);
  if (operator === '=')
    return (slots) => (read(left, slots) === read(right, slots) ? next(slots) : undefined);
  if (operator === '!=')
    return (slots) => (read(left, slots) !== read(right, slots) ? next(slots) : undefined);
  return (slots) => {
    if (
      compareOrdered(
        operator,
        interner.value(read(left, slots)),
        interner.value(read(right, slots)),
      )
    )
      next(slots);
  };
}

function negationStep(item: PlanLiteral, env: CompileEnvironment, next: Step): Step {
  const relation = env.relation(item);
  if (relation === undefined) return next;
  const args = item.args;
  const key = new Int32Array(args.length);
  const budget = env.budget;
  return (slots) => {
    if (++budget.steps > budget.maxSteps) budget.stepsExceeded();
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as TermRef;
      key[i] = a.slot === undefined ? a.id : (slots[a.slot] as number);
    }
    if (!relation.has(key)) next(slots);
  };
}

function literalStep(
  item: PlanLiteral,
  position: number,
  mode: ScanMode,
  bound: ReadonlySet<number>,
  env: CompileEnvironment,
  matched: Int32Array,
  next: Step,
): Step {
  const relation = env.relation(item);
  if (relation === undefined) return () => undefined;
  const range = env.range(item);
  const budget = env.budget;
  const arity = item.args.length;
  const keySources: TermRef[] = [];
  let mask = 0;
  const assignColumns: number[] = [];
  const assignSlots: number[] = [];
  const checkColumns: number[] = [];
  const checkSlots: number[] = [];
  const assignedHere = new Set<number>();
  const filterColumns: number[] = [];
  const filterSources: TermRef[] = [];
  item.args.forEach((a, column) => {
    if ((a.slot === undefined || bound.has(a.slot)) && column >= MAX_INDEXED_COLUMNS) {
      filterColumns.push(column);
      filterSources.push(a);
    } else if (a.slot === undefined || bound.has(a.slot)) {
      mask |= 1 << column;
      keySources.push(a);
    } else if (assignedHere.has(a.slot)) {
      checkColumns.push(column);
      checkSlots.push(a.slot);
    } else {
      assignedHere.add(a.slot);
      assignColumns.push(column);
      assignSlots.push(a.slot);
    }
  });
  const full = arity === 0 ? 0 : arity <= MAX_INDEXED_COLUMNS ? 2 ** arity - 1 : -1;
  const key = new Int32Array(keySources.length);
  const fillKey = (slots: Int32Array): void => {
    for (let i = 0; i < keySources.length; i++) {
      const a = keySources[i] as TermRef;
      key[i] = a.slot === undefined ? a.id : (slots[a.slot] as number);
    }
  };
  const useRange = range !== undefined && mode !== 'static';
  const fromDelta = mode === 'delta';
  const toDelta = mode === 'old';
  const bindAndContinue = (t: number, slots: Int32Array): void => {
    const data = relation.data;
    const base = t * arity;
    for (let i = 0; i < filterColumns.length; i++) {
      const a = filterSources[i] as TermRef;
      const expected = a.slot === undefined ? a.id : (slots[a.slot] as number);
      if (data[base + (filterColumns[i] as number)] !== expected) return;
    }
    for (let i = 0; i < assignColumns.length; i++) {
      slots[assignSlots[i] as number] = data[base + (assignColumns[i] as number)] as number;
    }
    for (let i = 0; i < checkColumns.length; i++) {
      if (data[base + (checkColumns[i] as number)] !== slots[checkSlots[i] as number]) return;
    }
    matched[position] = t;
    next(slots);
  };
  if (mask === full) {
    return (slots) => {
      let lo = 0;
      let hi = relation.size;
      if (useRange) {
        lo = fromDelta ? (range as RoundRange).lo : 0;
        hi = toDelta ? (range as RoundRange).lo : (range as RoundRange).hi;
      }
      if (hi <= lo) return;
      if (++budget.steps > budget.maxSteps) budget.stepsExceeded();
      fillKey(slots);
      const t = relation.find(key);
      if (t >= lo && t < hi) {
        matched[position] = t;
        next(slots);
      }
    };
  }
  if (mask === 0) {
    return (slots) => {
      let lo = 0;
      let hi = relation.size;
      if (useRange) {
        lo = fromDelta ? (range as RoundRange).lo : 0;
        hi = toDelta ? (range as RoundRange).lo : (range as RoundRange).hi;
      }
      for (let t = lo; t < hi; t++) {
        if (++budget.steps > budget.maxSteps) budget.stepsExceeded();
        bindAndContinue(t, slots);
      }
    };
  }
  const index = relation.index(mask);
  return (slots) => {
    let lo = 0;
    let hi = relation.size;
    if (useRange) {
      lo = fromDelta ? (range as RoundRange).lo : 0;
      hi = toDelta ? (range as RoundRange).lo : (range as RoundRange).hi;
    }
    if (hi <= lo) return;
    fillKey(slots);
    let t = index.first(relation.data, key);
    // Chains run newest first: skip tuples added after this round began, stop below `lo`.
    while (t >= 0) {
      if (t < hi) {
        if (t < lo) break;
        if (++budget.steps > budget.maxSteps) budget.stepsExceeded();
        bindAndContinue(t, slots);
      }
      t = index.next[t] as number;
    }
  };
}
