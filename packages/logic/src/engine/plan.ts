import type { ComparisonOperator } from '../language/ast.js';

// The internal form a query is compiled to: magic-set rewritten rules over integer tuples,
// grouped in evaluation contexts (see magic-rewrite.ts).

export type TermRef =
  | { readonly slot: number; readonly id?: undefined }
  | { readonly id: number; readonly slot?: undefined };

/** Where a body literal reads its tuples from. */
export type RelationRef =
  | { readonly source: 'edb'; readonly key: string }
  | { readonly source: 'local'; readonly name: string }
  | { readonly source: 'lower'; readonly context: number; readonly name: string };

export interface PlanLiteral {
  readonly kind: 'literal';
  readonly relation: RelationRef;
  readonly predicate: string;
  readonly args: readonly TermRef[];
  readonly negated: boolean;
  /** Position in the rule or query body as written (proofs list children in that order). */
  readonly position?: number;
}

export interface PlanComparison {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: TermRef;
  readonly right: TermRef;
}

export type PlanItem = PlanLiteral | PlanComparison;

export type RuleOrigin =
  | { readonly kind: 'rule'; readonly ruleId: string }
  | { readonly kind: 'bridge' }
  | { readonly kind: 'magic' }
  | { readonly kind: 'query' };

export interface PlanRule {
  readonly head: string;
  readonly headPredicate: string;
  readonly headArgs: readonly TermRef[];
  readonly body: readonly PlanItem[];
  readonly slots: number;
  readonly origin: RuleOrigin;
}

export interface PlanContext {
  readonly id: number;
  /** Stratum of the predicate the context answers; contexts run lowest first. */
  readonly level: number;
  readonly relations: Map<string, number>;
  readonly rules: PlanRule[];
  readonly seeds: Array<{ readonly relation: string; readonly tuple: readonly number[] }>;
}

export interface Plan {
  readonly contexts: readonly PlanContext[];
  readonly queryContext: number;
  readonly queryRelation: string;
  readonly queryVariables: readonly string[];
}
