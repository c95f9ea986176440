import { LimitExceededError, LogicError } from '../errors.js';
import type { Query, Value } from '../language/ast.js';
import { assertQuerySafe } from '../language/safety.js';
import { lookupStored, projectAnswer } from './direct-lookup.js';
import { type EvaluatedContext, evaluatePlan } from './evaluate.js';
import type { Interner } from './interner.js';
import { Budget, type QueryLimits } from './limits.js';
import { type RuleEntry, rewriteQuery } from './magic-rewrite.js';
import { buildProof } from './proof.js';
import type { Relation } from './relation.js';
import type { AskResult, Proof } from './types.js';

/** What a query is evaluated against: the database's rules and one tenant's facts at an instant. */
export interface QuerySource {
  readonly interner: Interner;
  readonly rules: readonly RuleEntry[];
  readonly strata: ReadonlyMap<string, number>;
  /** Predicate keys rules derive (computed from `rules` when absent). */
  readonly derived?: ReadonlySet<string>;
  readonly edb: (key: string) => Relation | undefined;
}

export interface RunOptions {
  readonly limits: QueryLimits;
  readonly limit?: number | undefined;
  readonly proof?: boolean | undefined;
}

function derivedKeys(rules: readonly RuleEntry[]): Set<string> {
  return new Set(rules.map((e) => `${e.rule.head.predicate}/${e.rule.head.args.length}`));
}

function tooMany(count: number, maxAnswers: number): LimitExceededError {
  return new LimitExceededError(
    'maxAnswers',
    maxAnswers,
    `query has ${count} answers, more than maxAnswers (${maxAnswers}); pass a limit to truncate or raise limits.maxAnswers`,
  );
}

export function runQuery(query: Query, source: QuerySource, options: RunOptions): AskResult {
  const interner = source.interner.scoped();
  if (query.body.length === 0)
    throw new LogicError('INVALID_VALUE', 'a query needs at least one body item');
  assertQuerySafe(query);
  const { limit, limits } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new LogicError(
      'INVALID_VALUE',
      `limit must be a non-negative integer, got ${String(limit)}`,
    );
  }
  const [lone] = query.body;
  if (
    options.proof !== true &&
    query.body.length === 1 &&
    lone?.kind === 'literal' &&
    !lone.negated &&
    !(source.derived ?? derivedKeys(source.rules)).has(
      `${lone.atom.predicate}/${lone.atom.args.length}`,
    )
  ) {
    const relation = source.edb(`${lone.atom.predicate}/${lone.atom.args.length}`);
    const { matches, names, columns } = lookupStored(lone, relation, interner);
    const wanted = Math.min(matches.length, limit ?? matches.length);
    if (wanted > limits.maxAnswers) throw tooMany(matches.length, limits.maxAnswers);
    const solutions: Array<Record<string, Value>> = [];
    for (let i = 0; i < wanted; i++)
      solutions.push(
        projectAnswer(relation as Relation, matches[i] as number, names, columns, interner),
      );
    return { solutions, count: matches.length, truncated: wanted < matches.length };
  }
  const plan = rewriteQuery(query, {
    rules: source.rules,
    strata: source.strata,
    interner: interner,
    hasFacts: (key) => source.edb(key) !== undefined,
    factor: options.proof !== true,
    direct: options.proof !== true,
  });
  const budget = new Budget(limits);
  const contexts = evaluatePlan({
    plan,
    interner: interner,
    budget,
    edb: source.edb,
    recordDerivations: options.proof === true,
  });
  const answers = (contexts[plan.queryContext] as EvaluatedContext).relations.get(
    plan.queryRelation,
  ) as Relation;
  const count = answers.size;
  const wanted = Math.min(count, limit ?? count);
  if (wanted > limits.maxAnswers) throw tooMany(count, limits.maxAnswers);
  const names = plan.queryVariables;
  const arity = names.length;
  const solutions: Array<Record<string, Value>> = new Array(wanted);
  const data = answers.data;
  for (let t = 0; t < wanted; t++) {
    const solution: Record<string, Value> = {};
    for (let i = 0; i < arity; i++)
      solution[names[i] as string] = interner.value(data[t * arity + i] as number);
    solutions[t] = solution;
  }
  const result: AskResult = { solutions, count, truncated: wanted < count };
  if (options.proof !== true) return result;
  const proofs: Proof[] = [];
  for (let t = 0; t < wanted; t++) {
    proofs.push(
      buildProof(contexts, plan.queryContext, plan.queryRelation, t, interner, source.edb),
    );
  }
  return { ...result, proofs };
}
