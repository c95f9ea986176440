import type { Atom, Fact, Rule } from '../language/ast.js';

/** Every change to a knowledge base; the state is the fold of its operations in order. */
export type Operation =
  | {
      readonly type: 'assert';
      readonly tenant: string;
      readonly facts: readonly Fact[];
      readonly at: number;
      readonly by?: string;
    }
  | {
      readonly type: 'retract';
      readonly tenant: string;
      readonly pattern: Atom;
      readonly at: number;
      readonly by?: string;
    }
  | {
      readonly type: 'teach';
      readonly id: string;
      readonly rule: Rule;
      readonly at: number;
      readonly by?: string;
    }
  | { readonly type: 'forget-rule'; readonly id: string; readonly at: number; readonly by?: string }
  | {
      readonly type: 'drop-tenant';
      readonly tenant: string;
      readonly at: number;
      readonly by?: string;
    }
  | { readonly type: 'compact'; readonly at: number };

export interface ApplyResult {
  /** Facts asserted, retracted or removed, rules taught or forgotten, tenants dropped. */
  readonly affected: number;
}

export interface StoredFact {
  readonly tenant: string;
  /** The fact with its resolved window: a TTL becomes `validUntil`, a retract closes it. */
  readonly fact: Fact;
  readonly at: number;
  readonly by?: string;
}

export interface StoredRule {
  readonly id: string;
  readonly rule: Rule;
  readonly at: number;
  readonly by?: string;
}

export interface PredicateInfo {
  readonly name: string;
  readonly arity: number;
  /** Stored facts (positive and explicit false, all versions) in the tenant. */
  readonly facts: number;
  /** Whether rules derive it. */
  readonly derived: boolean;
}
