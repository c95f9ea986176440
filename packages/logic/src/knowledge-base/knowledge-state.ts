import { Interner } from '../engine/interner.js';
import type { QueryLimits } from '../engine/limits.js';
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

  constructor(limits: Partial<QueryLimits> = {}) {
    this.limits = limits;
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
  }
}
