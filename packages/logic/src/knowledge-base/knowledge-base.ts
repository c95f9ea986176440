import { type QueryLimits, resolveLimits } from '../engine/limits.js';
import type { Relation } from '../engine/relation.js';
import { runQuery } from '../engine/run-query.js';
import type { AskOptions, AskResult } from '../engine/types.js';
import { LogicError } from '../errors.js';
import type { Fact, Query } from '../language/ast.js';
import { assertRuleSafe } from '../language/safety.js';
import { isVisibleAt } from './fact-record.js';
import { KnowledgeState } from './knowledge-state.js';
import { writeSnapshot } from './snapshot-writer.js';
import { TenantFacts } from './tenant-facts.js';
import type { ApplyResult, Operation, PredicateInfo, StoredFact, StoredRule } from './types.js';
import { assertInstant, assertName, assertStorableFact } from './validate.js';

export interface KnowledgeBaseOptions {
  readonly limits?: Partial<QueryLimits>;
}

export interface FactsOptions {
  readonly tenant?: string;
  readonly predicate?: string;
  /** Only facts visible at this instant; default: now. */
  readonly asOf?: number;
}

export interface KnowledgeBase {
  /** Applies one operation; deterministic (`at` is its only clock); invalid ones change nothing. */
  apply(op: Operation): ApplyResult;
  ask(query: Query, options?: AskOptions): AskResult;
  facts(options?: FactsOptions): Iterable<StoredFact>;
  rules(): readonly StoredRule[];
  predicates(tenant?: string): PredicateInfo[];
  tenants(): string[];
  writeSnapshot(): Iterable<Uint8Array>;
}

export const DEFAULT_TENANT = 'default';

export function createKnowledgeBase(options: KnowledgeBaseOptions = {}): KnowledgeBase {
  resolveLimits(options.limits);
  return knowledgeBaseOver(new KnowledgeState(options.limits ?? {}));
}

export function knowledgeBaseOver(state: KnowledgeState): KnowledgeBase {
  return {
    apply: (op) => applyOperation(state, op),
    ask: (query, options = {}) => ask(state, query, options),
    facts: (options = {}) => listFacts(state, options),
    rules: () => [...state.rules.values()],
    predicates: (tenant = DEFAULT_TENANT) => listPredicates(state, tenant),
    tenants: () => [...state.tenants.keys()],
    writeSnapshot: () => writeSnapshot(state),
  };
}

function ask(state: KnowledgeState, query: Query, options: AskOptions): AskResult {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  assertName(tenant, 'tenant');
  const asOf = options.asOf ?? Date.now();
  assertInstant(asOf, 'asOf');
  const facts = state.tenants.get(tenant);
  const cache = new Map<string, Relation | undefined>();
  const edb = (key: string): Relation | undefined => {
    if (cache.has(key)) return cache.get(key);
    const relation = facts?.predicates.get(key)?.relationAt(asOf);
    cache.set(key, relation);
    return relation;
  };
  return runQuery(
    query,
    {
      interner: state.interner,
      rules: state.entries,
      strata: state.strata,
      derived: state.derived,
      edb,
    },
    {
      limits:
        options.limits === undefined
          ? state.defaultLimits
          : resolveLimits(state.limits, options.limits),
      limit: options.limit,
      proof: options.proof,
    },
  );
}

function applyOperation(state: KnowledgeState, op: Operation): ApplyResult {
  if (typeof op !== 'object' || op === null)
    throw new LogicError('INVALID_OPERATION', 'an operation must be an object');
  assertInstant(op.at, 'operation.at');
  switch (op.type) {
    case 'assert': {
      assertName(op.tenant, 'tenant');
      if (!Array.isArray(op.facts))
        throw new LogicError('INVALID_OPERATION', 'assert needs a facts array');
      for (const fact of op.facts) assertStorableFact(fact);
      let tenant = state.tenants.get(op.tenant);
      if (tenant === undefined) {
        tenant = new TenantFacts();
        state.tenants.set(op.tenant, tenant);
      }
      for (const fact of op.facts) tenant.assert(fact, state.interner, op.at, op.by);
      return { affected: op.facts.length };
    }
    case 'retract': {
      assertName(op.tenant, 'tenant');
      assertName(op.pattern?.predicate, 'retract pattern predicate');
      return {
        affected: state.tenants.get(op.tenant)?.retract(op.pattern, state.interner, op.at) ?? 0,
      };
    }
    case 'teach': {
      assertName(op.id, 'rule id');
      assertRuleSafe(op.rule);
      const next = new Map(state.rules);
      next.set(op.id, {
        id: op.id,
        rule: op.rule,
        at: op.at,
        ...(op.by !== undefined ? { by: op.by } : {}),
      });
      state.setRules(next);
      return { affected: 1 };
    }
    case 'forget-rule': {
      if (!state.rules.has(op.id)) {
        throw new LogicError(
          'UNKNOWN_RULE',
          `no rule with id ${JSON.stringify(op.id)}; list rules() for the ids taught`,
        );
      }
      const next = new Map(state.rules);
      next.delete(op.id);
      state.setRules(next);
      return { affected: 1 };
    }
    case 'drop-tenant':
      assertName(op.tenant, 'tenant');
      return { affected: state.tenants.delete(op.tenant) ? 1 : 0 };
    case 'compact': {
      let removed = 0;
      for (const tenant of state.tenants.values()) {
        for (const [key, store] of tenant.predicates) {
          removed += store.compact(op.at);
          if (store.isEmpty) tenant.forget(key);
        }
      }
      return { affected: removed };
    }
    default:
      throw new LogicError(
        'INVALID_OPERATION',
        `unknown operation type ${JSON.stringify((op as { type: unknown }).type)}`,
      );
  }
}

function* listFacts(state: KnowledgeState, options: FactsOptions): Iterable<StoredFact> {
  const asOf = options.asOf ?? Date.now();
  for (const [tenant, facts] of state.tenants) {
    if (options.tenant !== undefined && tenant !== options.tenant) continue;
    for (const store of facts.predicates.values()) {
      if (options.predicate !== undefined && store.name !== options.predicate) continue;
      for (const { record, negated } of store.records()) {
        if (!isVisibleAt(record, asOf)) continue;
        const fact: Fact = {
          kind: 'fact',
          atom: {
            predicate: store.name,
            args: record.ids.map((id) => ({ kind: 'const', value: state.interner.value(id) })),
          },
          negated,
          ...(record.confidence !== undefined ? { confidence: record.confidence } : {}),
          validFrom: record.validFrom,
          ...(record.validUntil !== undefined ? { validUntil: record.validUntil } : {}),
        };
        yield {
          tenant,
          fact,
          at: record.at,
          ...(record.by !== undefined ? { by: record.by } : {}),
        };
      }
    }
  }
}

function listPredicates(state: KnowledgeState, tenant: string): PredicateInfo[] {
  const derived = new Set(
    state.entries.map((e) => `${e.rule.head.predicate}/${e.rule.head.args.length}`),
  );
  const out = new Map<string, PredicateInfo>();
  for (const [key, store] of state.tenants.get(tenant)?.predicates ?? []) {
    let count = 0;
    for (const _ of store.records()) count++;
    if (count === 0 && !derived.has(key)) continue;
    out.set(key, { name: store.name, arity: store.arity, facts: count, derived: derived.has(key) });
  }
  for (const entry of state.entries) {
    const key = `${entry.rule.head.predicate}/${entry.rule.head.args.length}`;
    if (!out.has(key))
      out.set(key, {
        name: entry.rule.head.predicate,
        arity: entry.rule.head.args.length,
        facts: 0,
        derived: true,
      });
  }
  return [...out.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.arity - b.arity,
  );
}
