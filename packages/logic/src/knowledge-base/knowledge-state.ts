import { Interner } from '../engine/interner.js';
import { type QueryLimits, resolveLimits } from '../engine/limits.js';
import type { RuleEntry } from '../engine/magic-rewrite.js';
import { stratify } from '../engine/stratify.js';
import type { TenantFacts } from './tenant-facts.js';
import type { StoredRule } from './types.js';

/** Everything a knowledge base holds; operations change it, snapshots write it out. */
export class KnowledgeState {
  readonly interner = new Interner();
  readonly rules = new Map<string, StoredRule>();
  readonly tenants = new Map<string, TenantFacts>();
  readonly limits: Partial<QueryLimits>;
  private ruleEntries: RuleEntry[] = [];
  private strataCache = new Map<string, number>();
  private derivedKeys = new Set<string>();
  /** Limits of a query that passes none: resolved once, not per query. */
  readonly defaultLimits: QueryLimits;

  constructor(limits: Partial<QueryLimits> = {}) {
    this.limits = limits;
    this.defaultLimits = resolveLimits(limits);
  }

  /** Predicate keys (`name/arity`) that rules derive. */
  get derived(): ReadonlySet<string> {
    return this.derivedKeys;
  }

  get entries(): readonly RuleEntry[] {
    return this.ruleEntries;
  }

  get strata(): ReadonlyMap<string, number> {
    return this.strataCache;
  }

  /** Replaces the rule set, checking stratification first so a bad rule changes nothing. */
  setRules(next: Map<string, StoredRule>): void {
    const entries = [...next.values()].map(({ id, rule }) => ({ id, rule }));
    const strata = stratify(entries.map((e) => e.rule));
    this.rules.clear();
    for (const [id, rule] of next) this.rules.set(id, rule);
    this.ruleEntries = entries;
    this.strataCache = strata;
    this.derivedKeys = new Set(
      entries.map((e) => `${e.rule.head.predicate}/${e.rule.head.args.length}`),
    );
  }
}
