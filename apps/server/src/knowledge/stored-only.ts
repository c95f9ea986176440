import type { KnowledgeBase, Query } from '@cairn/logic';
import { CairnError } from '../errors.js';

/**
 * ALLOW_RAW_QUERY=false: a query may only use what the database already holds (predicates of
 * taught rules, or of facts stored in the caller's tenant) and may not bring rules of its own.
 * Only the caller's tenant counts: whether another tenant stores a predicate is not theirs
 * to learn.
 */
export function assertNoRulesInQuery(text: string): void {
  if (containsRuleArrow(text)) {
    throw new CairnError(
      'FORBIDDEN',
      'this server does not accept rules inside a query (ALLOW_RAW_QUERY=false): teach the rule with teach, then ask its head',
      { argument: 'query' },
    );
  }
}

export function assertStoredPredicatesOnly(
  knowledge: Pick<KnowledgeBase, 'rules' | 'predicates'>,
  tenant: string,
  query: Query,
): void {
  const known = new Set<string>();
  for (const { rule } of knowledge.rules())
    known.add(keyOf(rule.head.predicate, rule.head.args.length));
  for (const info of knowledge.predicates(tenant)) known.add(keyOf(info.name, info.arity));
  const unknown: string[] = [];
  for (const item of query.body) {
    if (item.kind !== 'literal') continue;
    const key = keyOf(item.atom.predicate, item.atom.args.length);
    if (!known.has(key) && !unknown.includes(key)) unknown.push(key);
  }
  if (unknown.length > 0) {
    throw new CairnError(
      'FORBIDDEN',
      `this server answers only stored predicates (ALLOW_RAW_QUERY=false); ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} neither taught by a rule nor stored as facts in tenant ${tenant}`,
      { argument: 'query' },
    );
  }
}

function keyOf(predicate: string, arity: number): string {
  return `${predicate}/${arity}`;
}

/** `:-` outside quoted strings and comments. */
function containsRuleArrow(text: string): boolean {
  let quoted = false;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (comment) {
      if (char === '\n') comment = false;
    } else if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === '%' || char === '#') {
      comment = true;
    } else if (char === ':' && text[i + 1] === '-') {
      return true;
    }
  }
  return false;
}
