// The structured form API clients send and receive. A variable is `{ "var": "x" }`; every
// plain JSON string is a constant, even one starting with "?".

import type { Atom, BodyItem, ComparisonOperator, Fact, Query, Rule, Term, Value } from './ast.js';
import { assertFactGround } from './safety.js';
import { formatTime } from './values.js';

export type TermJson = Value | { readonly var: string };

export interface AtomJson {
  readonly predicate: string;
  readonly args: readonly TermJson[];
}

export interface LiteralJson extends AtomJson {
  readonly negated?: boolean;
}

export interface ComparisonJson {
  readonly compare: ComparisonOperator;
  readonly left: TermJson;
  readonly right: TermJson;
}

export type BodyItemJson = LiteralJson | ComparisonJson;

export interface FactJson {
  readonly predicate: string;
  readonly args: readonly Value[];
  readonly negated?: boolean;
  readonly confidence?: number;
  /** ISO-8601 date-time with a timezone. */
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly ttlSeconds?: number;
}

export interface RuleJson {
  readonly head: AtomJson;
  readonly body: readonly BodyItemJson[];
}

export interface QueryJson {
  readonly body: readonly BodyItemJson[];
}

export function termToJson(term: Term): TermJson {
  return term.kind === 'var' ? { var: term.name } : term.value;
}

export function atomToJson(atom: Atom): AtomJson {
  return { predicate: atom.predicate, args: atom.args.map(termToJson) };
}

function bodyItemToJson(item: BodyItem): BodyItemJson {
  if (item.kind === 'compare') {
    return { compare: item.operator, left: termToJson(item.left), right: termToJson(item.right) };
  }
  const atom = atomToJson(item.atom);
  return item.negated ? { ...atom, negated: true } : atom;
}

export function factToJson(fact: Fact): FactJson {
  assertFactGround(fact);
  const args = fact.atom.args.map((term) => (term.kind === 'const' ? term.value : ''));
  return {
    predicate: fact.atom.predicate,
    args,
    ...(fact.negated ? { negated: true } : {}),
    ...(fact.confidence === undefined ? {} : { confidence: fact.confidence }),
    ...(fact.validFrom === undefined ? {} : { validFrom: formatTime(fact.validFrom) }),
    ...(fact.validUntil === undefined ? {} : { validUntil: formatTime(fact.validUntil) }),
    ...(fact.ttlSeconds === undefined ? {} : { ttlSeconds: fact.ttlSeconds }),
  };
}

export function ruleToJson(rule: Rule): RuleJson {
  return { head: atomToJson(rule.head), body: rule.body.map(bodyItemToJson) };
}

export function queryToJson(query: Query): QueryJson {
  return { body: query.body.map(bodyItemToJson) };
}
