export { LimitExceededError, LogicError, type LogicErrorCode, LogicSyntaxError } from './errors.js';
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
