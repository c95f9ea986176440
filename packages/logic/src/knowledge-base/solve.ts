import type { AskOptions, AskResult } from '../engine/types.js';
import type { Clause, Query } from '../language/ast.js';
import { createKnowledgeBase, DEFAULT_TENANT } from './knowledge-base.js';

/**
 * Evaluates a program (facts and rules) and a query in a fresh knowledge base, tenant
 * 'default', all at instant 0. Rules get ids `r1`, `r2`, … in program order.
 */
export function solve(
  program: readonly Clause[],
  query: Query,
  options: AskOptions = {},
): AskResult {
  const kb = createKnowledgeBase(options.limits === undefined ? {} : { limits: options.limits });
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const facts = program.filter((c) => c.kind === 'fact');
  let n = 0;
  for (const clause of program) {
    if (clause.kind === 'rule') kb.apply({ type: 'teach', id: `r${++n}`, rule: clause, at: 0 });
  }
  kb.apply({ type: 'assert', tenant, facts, at: 0 });
  return kb.ask(query, { asOf: 0, ...options, tenant });
}
