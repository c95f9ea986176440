// The knowledge language as plain immutable values. Everything else in @cairn/logic (parser,
// printer, JSON form, engine, operations) speaks these types.

/** A constant. Bare atoms and quoted strings are the same kind of value: `alice` == `"alice"`. */
export type Value = string | number | boolean;

export interface Constant {
  readonly kind: 'const';
  readonly value: Value;
}

/** A variable, written `?name`; `name` is stored without the `?`. */
export interface Variable {
  readonly kind: 'var';
  readonly name: string;
}

export type Term = Constant | Variable;

export interface Atom {
  readonly predicate: string;
  readonly args: readonly Term[];
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `atom` or, with `negated`, `not atom` (negation as failure). */
export interface Literal {
  readonly kind: 'literal';
  readonly atom: Atom;
  readonly negated: boolean;
}

export interface Comparison {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: Term;
  readonly right: Term;
}

export type BodyItem = Literal | Comparison;

/** `head :- body1, body2, …` */
export interface Rule {
  readonly kind: 'rule';
  readonly head: Atom;
  readonly body: readonly BodyItem[];
}

/**
 * A ground statement: `p(a, b)` or `not p(a, b)` (an explicit false), with optional confidence
 * in [0, 1] and a validity window. Times are milliseconds since the Unix epoch; a TTL is
 * written in the text syntax and resolved to `validUntil` when the fact is asserted.
 */
export interface Fact {
  readonly kind: 'fact';
  readonly atom: Atom;
  readonly negated: boolean;
  readonly confidence?: number;
  readonly validFrom?: number;
  readonly validUntil?: number;
  readonly ttlSeconds?: number;
}

/** A conjunction of body items; the answer is every binding of its variables. */
export interface Query {
  readonly kind: 'query';
  readonly body: readonly BodyItem[];
}

export type Clause = Fact | Rule;
