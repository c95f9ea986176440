import { solve } from '../../knowledge-base/solve.js';
import type { Clause, Fact, Query, Rule, Value } from '../../language/ast.js';
import { naiveAnswers, naiveFixpoint } from './naive-evaluator.js';

/** Sorted answers of the engine, as JSON arrays of the query variables in first-use order. */
export function engineAnswers(program: readonly Clause[], query: Query, proof = false): string[] {
  const names: string[] = [];
  for (const item of query.body) {
    const terms = item.kind === 'compare' ? [item.left, item.right] : item.atom.args;
    for (const t of terms) if (t.kind === 'var' && !names.includes(t.name)) names.push(t.name);
  }
  const result = solve(program, query, { proof, limits: { maxAnswers: 10_000_000 } });
  return result.solutions
    .map((s: Record<string, Value>) => JSON.stringify(names.map((n) => s[n])))
    .sort();
}

/** Oracle answers for a program whose rules are all in one stratum list per level. */
export function oracleAnswers(
  program: readonly Clause[],
  strata: ReadonlyArray<readonly Rule[]>,
  query: Query,
): string[] {
  const facts = program.filter((c): c is Fact => c.kind === 'fact');
  const db = naiveFixpoint(
    facts.map((f) => ({
      predicate: f.atom.predicate,
      tuple: f.atom.args.map((t) => (t as { value: Value }).value),
    })),
    strata,
  );
  return naiveAnswers(db, query);
}
