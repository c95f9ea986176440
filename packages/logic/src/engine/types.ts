import type { Atom, Fact, Value } from '../language/ast.js';
import type { QueryLimits } from './limits.js';

/**
 * Why an answer holds: `fact` leaves are stored facts, `rule` nodes are an instance of a taught
 * rule whose children prove its positive body literals (negations appear as `absent` leaves:
 * nothing derivable matched). A proof is cut at a fixed size; a cut branch is a `truncated`
 * leaf naming the atom it would have proved. Comparisons are checked, not listed.
 */
export type Proof =
  | { readonly kind: 'fact'; readonly fact: Fact }
  | {
      readonly kind: 'rule';
      readonly rule: string;
      readonly head: Atom;
      readonly children: readonly Proof[];
    }
  | { readonly kind: 'absent'; readonly atom: Atom }
  | { readonly kind: 'truncated'; readonly atom: Atom }
  /** The root of each solution's proof: one child per literal of the query body. */
  | { readonly kind: 'query'; readonly children: readonly Proof[] };

export interface AskOptions {
  /** Tenant whose facts the query sees; default 'default'. */
  readonly tenant?: string;
  /** Return at most this many solutions (`truncated: true` when more exist). */
  readonly limit?: number;
  readonly proof?: boolean;
  /** The instant (ms since the epoch) the query is asked at; default now. */
  readonly asOf?: number;
  readonly limits?: Partial<QueryLimits>;
}

export interface AskResult {
  /** Distinct answers: variable names without "?" mapped to values. */
  readonly solutions: Array<Record<string, Value>>;
  /** Number of distinct answers, including any beyond `limit`. */
  readonly count: number;
  readonly truncated: boolean;
  readonly proofs?: Proof[];
}
