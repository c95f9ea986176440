import { createHash, randomUUID } from 'node:crypto';
import {
  type AskResult,
  type Atom,
  DEFAULT_TENANT,
  type Fact,
  factFromJson,
  type PredicateInfo,
  parseFact,
  parseQuery,
  parseRule,
} from '@cairn/logic';
import { withArgument } from '../databases/logic-errors.js';
import { DEFAULT_DATABASE, parseDatabaseName, parseTenantName } from '../databases/names.js';
import type { DatabaseRegistry } from '../databases/registry.js';
import { CairnError } from '../errors.js';
import { assertNoRulesInQuery, assertStoredPredicatesOnly } from './stored-only.js';
import {
  type FactView,
  type RuleView,
  resolveAssertedFact,
  toFactView,
  toRuleView,
} from './views.js';

/** Who is acting, and on which partition by default. */
export interface Actor {
  readonly id: string;
  readonly tenant: string | undefined;
}

export interface Target {
  readonly database?: string | null | undefined;
  readonly tenant?: string | null | undefined;
}

export const MAX_TELL_MANY = 10_000;
export const MAX_ASK_LIMIT = 10_000;
export const DEFAULT_ASK_LIMIT = 1_000;
/** Proofs grow with every answer; asking for them needs a smaller page. */
export const MAX_PROOF_LIMIT = 100;
export const MAX_PAGE = 1_000;
export const DEFAULT_PAGE = 100;

/** A target with its defaults applied and names checked: what the policy is asked about. */
export interface TargetNames {
  readonly database: string;
  readonly tenant: string;
}

/**
 * The database and tenant an operation acts on: `database` defaults to "default", `tenant` to
 * the caller's own tenant, else "default". Resolvers ask the policy about exactly these names,
 * and the operation uses exactly these names (passing them back in is a no-op).
 */
export function resolveTargetNames(actor: Actor, target: Target): TargetNames {
  return {
    database: parseDatabaseName(target.database ?? DEFAULT_DATABASE),
    tenant: parseTenantName(target.tenant ?? actor.tenant ?? DEFAULT_TENANT),
  };
}

function resolveTarget(registry: DatabaseRegistry, actor: Actor, target: Target) {
  const names = resolveTargetNames(actor, target);
  return { database: registry.get(names.database), tenant: names.tenant };
}

export async function tell(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  text: string,
): Promise<FactView> {
  const { database, tenant } = resolveTarget(registry, actor, target);
  const fact = withArgument('fact', () => parseFact(text));
  const at = Date.now();
  await database.commit({ type: 'assert', tenant, facts: [fact], at, by: actor.id }, 'fact');
  return toFactView({ tenant, fact: resolveAssertedFact(fact, at), at, by: actor.id });
}

/** The JSON form (`{ "predicate": "plan", "args": ["acme", 3] }`): every string is a constant. */
export async function tellJson(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  json: unknown,
): Promise<FactView> {
  const { database, tenant } = resolveTarget(registry, actor, target);
  const fact = withArgument('fact', () => factFromJson(json));
  const at = Date.now();
  await database.commit({ type: 'assert', tenant, facts: [fact], at, by: actor.id }, 'fact');
  return toFactView({ tenant, fact: resolveAssertedFact(fact, at), at, by: actor.id });
}

export async function tellMany(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  texts: readonly string[],
): Promise<FactView[]> {
  const { database, tenant } = resolveTarget(registry, actor, target);
  if (texts.length === 0 || texts.length > MAX_TELL_MANY) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `facts must hold 1 to ${MAX_TELL_MANY} facts (got ${texts.length})`,
      {
        argument: 'facts',
      },
    );
  }
  const facts: Fact[] = texts.map((text, index) =>
    withArgument(`facts[${index}]`, () => parseFact(text)),
  );
  const at = Date.now();
  // One operation, one log record: the batch is all-or-nothing.
  await database.commit({ type: 'assert', tenant, facts, at, by: actor.id }, 'facts');
  return facts.map((fact) =>
    toFactView({ tenant, fact: resolveAssertedFact(fact, at), at, by: actor.id }),
  );
}

export function parseRetractPattern(text: string): Atom {
  const query = withArgument('pattern', () => parseQuery(text));
  const [only, ...rest] = query.body;
  if (only === undefined || rest.length > 0 || only.kind !== 'literal' || only.negated) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'pattern must be one atom such as plan(acme, ?tier) (variables match anything)',
      { argument: 'pattern' },
    );
  }
  return only.atom;
}

export async function retract(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  text: string,
): Promise<number> {
  const { database, tenant } = resolveTarget(registry, actor, target);
  const pattern = parseRetractPattern(text);
  const { result } = await database.commit(
    { type: 'retract', tenant, pattern, at: Date.now(), by: actor.id },
    'pattern',
  );
  return result.affected;
}

export async function teach(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  text: string,
): Promise<RuleView> {
  const { database } = resolveTarget(registry, actor, target);
  const rule = withArgument('rule', () => parseRule(text));
  const id = `rule-${randomUUID()}`;
  const at = Date.now();
  await database.commit({ type: 'teach', id, rule, at, by: actor.id }, 'rule');
  return toRuleView({ id, rule, at, by: actor.id });
}

export async function forgetRule(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  id: string,
): Promise<boolean> {
  const { database } = resolveTarget(registry, actor, target);
  if (!database.knowledge.rules().some((rule) => rule.id === id)) {
    throw new CairnError(
      'NOT_FOUND',
      `no rule with id ${JSON.stringify(id.slice(0, 80))}; list ids with the rules query`,
      {
        argument: 'id',
      },
    );
  }
  await database.commit({ type: 'forget-rule', id, at: Date.now(), by: actor.id }, 'id');
  return true;
}

export interface AskArguments extends Target {
  readonly query: string;
  readonly limit?: number | null | undefined;
  readonly proof?: boolean | null | undefined;
}

export interface QuerySettings {
  /** ALLOW_RAW_QUERY: false = stored predicates only, no rules inside a query. */
  readonly allowRawQuery: boolean;
}

export function ask(
  registry: DatabaseRegistry,
  actor: Actor,
  args: AskArguments,
  settings: QuerySettings = { allowRawQuery: true },
): AskResult {
  const { database, tenant } = resolveTarget(registry, actor, args);
  const limit = args.limit ?? DEFAULT_ASK_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ASK_LIMIT) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `limit must be between 1 and ${MAX_ASK_LIMIT} (got ${limit})`,
      {
        argument: 'limit',
      },
    );
  }
  if (args.proof === true && args.limit == null) {
    throw new CairnError('BAD_USER_INPUT', `proof needs a limit of at most ${MAX_PROOF_LIMIT}`, {
      argument: 'limit',
    });
  }
  if (args.proof === true && limit > MAX_PROOF_LIMIT) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `with proof, limit must be at most ${MAX_PROOF_LIMIT} (got ${limit})`,
      { argument: 'limit' },
    );
  }
  if (!settings.allowRawQuery) assertNoRulesInQuery(args.query);
  const query = withArgument('query', () => parseQuery(args.query));
  if (!settings.allowRawQuery) assertStoredPredicatesOnly(database.knowledge, tenant, query);
  return withArgument('query', () =>
    database.knowledge.ask(query, { tenant, limit, proof: args.proof ?? false }),
  );
}

export interface FactPage {
  readonly facts: FactView[];
  readonly offset: number;
  readonly hasNextPage: boolean;
  /** Binds cursors to this listing (database, tenant, predicate): see encodeFactCursor. */
  readonly listing: string;
}

const CURSOR_PREFIX = 'facts:v2:';

/**
 * A cursor is a position in one listing. It names its listing by a digest, so a cursor taken
 * from another database, tenant or predicate is refused instead of silently paging elsewhere.
 */
export function encodeFactCursor(listing: string, offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${listing}:${offset}`).toString('base64url');
}

function listingOf(database: string, tenant: string, predicate: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([database, tenant, predicate ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

function decodeFactCursor(cursor: string, listing: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [tag, position] = text.slice(CURSOR_PREFIX.length).split(':');
  const offset = Number(position);
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(offset) || offset < 0) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'after is not a cursor returned by facts; pass pageInfo.endCursor',
      {
        argument: 'after',
      },
    );
  }
  if (tag !== listing) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'after belongs to another listing (database, tenant or predicate differ); pass pageInfo.endCursor of this one',
      { argument: 'after' },
    );
  }
  return offset + 1;
}

export interface FactsArguments extends Target {
  readonly predicate?: string | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** Facts visible now, in storage order; cursors are positions in that order. */
export function listFacts(
  registry: DatabaseRegistry,
  actor: Actor,
  args: FactsArguments,
): FactPage {
  const { database, tenant } = resolveTarget(registry, actor, args);
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `first must be between 1 and ${MAX_PAGE} (got ${first})`,
      {
        argument: 'first',
      },
    );
  }
  const listing = listingOf(database.name, tenant, args.predicate ?? undefined);
  const start = args.after == null ? 0 : decodeFactCursor(args.after, listing);
  const options = args.predicate == null ? { tenant } : { tenant, predicate: args.predicate };
  const facts: FactView[] = [];
  let index = 0;
  let hasNextPage = false;
  for (const stored of database.knowledge.facts(options)) {
    if (index++ < start) continue;
    if (facts.length === first) {
      hasNextPage = true;
      break;
    }
    facts.push(toFactView(stored));
  }
  return { facts, offset: start, hasNextPage, listing };
}

export function listRules(registry: DatabaseRegistry, actor: Actor, target: Target): RuleView[] {
  const { database } = resolveTarget(registry, actor, target);
  return database.knowledge.rules().map(toRuleView);
}

export function listPredicates(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
): PredicateInfo[] {
  const { database, tenant } = resolveTarget(registry, actor, target);
  return database.knowledge.predicates(tenant);
}
