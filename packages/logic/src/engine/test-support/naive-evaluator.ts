// An independent oracle for the engine tests: the textbook naive fixpoint over ground atoms,
// stratum by stratum, with nested-loop matching. Slow and obviously correct; it shares no code
// with the engine (not even its value comparison).
import type { Atom, BodyItem, Query, Rule, Term, Value } from '../../language/ast.js';

type Binding = Map<string, Value>;
type Tuple = readonly Value[];

const keyOf = (predicate: string, tuple: Tuple): string =>
  JSON.stringify([predicate, tuple.length, ...tuple]);

function resolve(term: Term, binding: Binding): Value | undefined {
  return term.kind === 'const' ? term.value : binding.get(term.name);
}

function sameValue(a: Value, b: Value): boolean {
  return typeof a === typeof b && a === b;
}

function compare(operator: string, a: Value, b: Value): boolean {
  if (operator === '=') return sameValue(a, b);
  if (operator === '!=') return !sameValue(a, b);
  let order: number;
  if (typeof a === 'number' && typeof b === 'number') order = a - b;
  else if (typeof a === 'string' && typeof b === 'string') {
    const x = [...a].map((c) => c.codePointAt(0) as number);
    const y = [...b].map((c) => c.codePointAt(0) as number);
    order = 0;
    for (let i = 0; i < Math.min(x.length, y.length) && order === 0; i++)
      order = (x[i] as number) - (y[i] as number);
    if (order === 0) order = x.length - y.length;
  } else return false;
  if (operator === '<') return order < 0;
  if (operator === '<=') return order <= 0;
  if (operator === '>') return order > 0;
  return order >= 0;
}

export class NaiveDatabase {
  private readonly byPredicate = new Map<string, Tuple[]>();
  private readonly keys = new Set<string>();

  add(predicate: string, tuple: Tuple): boolean {
    const key = keyOf(predicate, tuple);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    const slot = `${predicate}/${tuple.length}`;
    const list = this.byPredicate.get(slot) ?? [];
    list.push(tuple);
    this.byPredicate.set(slot, list);
    return true;
  }

  has(predicate: string, tuple: Tuple): boolean {
    return this.keys.has(keyOf(predicate, tuple));
  }

  tuples(predicate: string, arity: number): readonly Tuple[] {
    return this.byPredicate.get(`${predicate}/${arity}`) ?? [];
  }

  /** Every binding satisfying `body`, positive literals first (body is range-restricted). */
  solve(body: readonly BodyItem[]): Binding[] {
    const positives = body.filter((b) => b.kind === 'literal' && !b.negated);
    const filters = body.filter((b) => !(b.kind === 'literal' && !b.negated));
    let bindings: Binding[] = [new Map()];
    for (const item of positives) {
      if (item.kind !== 'literal') continue;
      const next: Binding[] = [];
      for (const binding of bindings) {
        for (const tuple of this.tuples(item.atom.predicate, item.atom.args.length)) {
          const extended = this.match(item.atom, tuple, binding);
          if (extended !== undefined) next.push(extended);
        }
      }
      bindings = next;
    }
    return bindings.filter((binding) =>
      filters.every((item) => {
        if (item.kind === 'compare') {
          return compare(
            item.operator,
            resolve(item.left, binding) as Value,
            resolve(item.right, binding) as Value,
          );
        }
        const tuple = item.atom.args.map((t) => resolve(t, binding) as Value);
        return !this.has(item.atom.predicate, tuple);
      }),
    );
  }

  private match(atom: Atom, tuple: Tuple, binding: Binding): Binding | undefined {
    const out = new Map(binding);
    for (let i = 0; i < atom.args.length; i++) {
      const term = atom.args[i] as Term;
      const value = tuple[i] as Value;
      const bound = resolve(term, out);
      if (bound === undefined) out.set((term as { name: string }).name, value);
      else if (!sameValue(bound, value)) return undefined;
    }
    return out;
  }
}

/** Naive fixpoint: `strata` lists the rules of each stratum, lowest first. */
export function naiveFixpoint(
  facts: ReadonlyArray<{ predicate: string; tuple: Tuple }>,
  strata: ReadonlyArray<readonly Rule[]>,
): NaiveDatabase {
  const db = new NaiveDatabase();
  for (const f of facts) db.add(f.predicate, f.tuple);
  for (const rules of strata) {
    for (let changed = true; changed; ) {
      changed = false;
      for (const rule of rules) {
        for (const binding of db.solve(rule.body)) {
          const tuple = rule.head.args.map((t) => resolve(t, binding) as Value);
          if (db.add(rule.head.predicate, tuple)) changed = true;
        }
      }
    }
  }
  return db;
}

/** The query's answers as sorted canonical strings of its variables, in first-occurrence order. */
export function naiveAnswers(db: NaiveDatabase, query: Query): string[] {
  const names: string[] = [];
  for (const item of query.body) {
    const terms = item.kind === 'compare' ? [item.left, item.right] : item.atom.args;
    for (const t of terms) if (t.kind === 'var' && !names.includes(t.name)) names.push(t.name);
  }
  const out = new Set(db.solve(query.body).map((b) => JSON.stringify(names.map((n) => b.get(n)))));
  return [...out].sort();
}
