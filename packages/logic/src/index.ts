export { DEFAULT_LIMITS, type QueryLimits } from './engine/limits.js';
export type { AskOptions, AskResult, Proof } from './engine/types.js';
export { LimitExceededError, LogicError, type LogicErrorCode, LogicSyntaxError } from './errors.js';
export {
  createKnowledgeBase,
  DEFAULT_TENANT,
  type FactsOptions,
  type KnowledgeBase,
  type KnowledgeBaseOptions,
} from './knowledge-base/knowledge-base.js';
export { decodeOperation, encodeOperation } from './knowledge-base/operation-codec.js';
export { restoreKnowledgeBase } from './knowledge-base/snapshot-reader.js';
export { solve } from './knowledge-base/solve.js';
export type {
  ApplyResult,
  Operation,
  PredicateInfo,
  StoredFact,
  StoredRule,
} from './knowledge-base/types.js';
export type * from './language/ast.js';
export type {
  AtomJson,
  BodyItemJson,
  ComparisonJson,
  FactJson,
  LiteralJson,
  QueryJson,
  RuleJson,
  TermJson,
} from './language/json-form.js';
export {
  atomToJson,
  factToJson,
  queryToJson,
  ruleToJson,
  termToJson,
} from './language/json-form.js';
export { atomFromJson, factFromJson, queryFromJson, ruleFromJson } from './language/json-read.js';
export {
  defaultLanguageLimits,
  type LanguageLimits,
  type LanguageOptions,
} from './language/limits.js';
export { parseFact, parseProgram, parseQuery, parseRule } from './language/parser.js';
export {
  printAtom,
  printClause,
  printFact,
  printProgram,
  printQuery,
  printRule,
  printTerm,
} from './language/printer.js';
export { assertFactGround, assertQuerySafe, assertRuleSafe } from './language/safety.js';
