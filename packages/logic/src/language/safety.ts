// Range restriction: every variable a rule or query uses must be bound by a positive literal
// of the same body, so answers are finite and negation and comparisons only test values.

import { LogicError } from '../errors.js';
import type { Atom, BodyItem, Fact, Query, Rule, Term } from './ast.js';

function variablesOf(terms: readonly Term[], into: string[]): void {
  for (const term of terms) if (term.kind === 'var') into.push(term.name);
}

function boundVariables(body: readonly BodyItem[]): Set<string> {
  const bound = new Set<string>();
  for (const item of body) {
    if (item.kind === 'literal' && !item.negated) {
      for (const term of item.atom.args) if (term.kind === 'var') bound.add(term.name);
    }
  }
  return bound;
}

/** Why `body` (under `head`, if any) is not range-restricted, or undefined when it is safe. */
export function describeUnsafeVariable(
  head: Atom | undefined,
  body: readonly BodyItem[],
): string | undefined {
  const bound = boundVariables(body);
  const unbound = (names: readonly string[]): string | undefined =>
    names.find((name) => !bound.has(name));
  if (head !== undefined) {
    const names: string[] = [];
    variablesOf(head.args, names);
    const name = unbound(names);
    if (name !== undefined) {
      return `variable ?${name} of the head ${head.predicate}/${head.args.length} does not occur in a positive literal of the body; bind it with a positive literal`;
    }
  }
  for (const item of body) {
    const names: string[] = [];
    if (item.kind === 'literal') {
      if (!item.negated) continue;
      variablesOf(item.atom.args, names);
      const name = unbound(names);
      if (name !== undefined) {
        return `variable ?${name} of 'not ${item.atom.predicate}/${item.atom.args.length}' does not occur in a positive literal of the body; negation only tests bound values`;
      }
    } else {
      variablesOf([item.left, item.right], names);
      const name = unbound(names);
      if (name !== undefined) {
        return `variable ?${name} of the comparison '${item.operator}' does not occur in a positive literal of the body; comparisons only test bound values`;
      }
    }
  }
  return undefined;
}

export function assertRuleSafe(rule: Rule): void {
  const problem = describeUnsafeVariable(rule.head, rule.body);
  if (problem !== undefined) throw new LogicError('UNSAFE_RULE', `unsafe rule: ${problem}`);
}

export function assertQuerySafe(query: Query): void {
  const problem = describeUnsafeVariable(undefined, query.body);
  if (problem !== undefined) throw new LogicError('UNSAFE_RULE', `unsafe query: ${problem}`);
}

/** Facts hold constants only. */
export function assertFactGround(fact: Fact): void {
  const variable = fact.atom.args.find((term) => term.kind === 'var');
  if (variable !== undefined && variable.kind === 'var') {
    throw new LogicError(
      'NOT_GROUND',
      `fact ${fact.atom.predicate}/${fact.atom.args.length} holds the variable ?${variable.name}; facts hold constants only (write a rule to derive facts)`,
    );
  }
}
