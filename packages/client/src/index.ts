// Anything exported here is the public API of @cairn/client.
export {
  type ApiConnection,
  type ApiConnectionOptions,
  openApiConnection,
} from './api-connection.js';
export { readCaFile } from './ca-file.js';
export {
  type AskInput,
  type AskResult,
  type CairnClient,
  type Caller,
  createCairnClient,
  type DatabaseSummary,
  type Fact,
  type PredicateSummary,
  type RetractResult,
  type Rule,
  type Scope,
  type TellManyResult,
} from './client.js';
export {
  CairnClientError,
  type CairnClientErrorCode,
  type CairnClientErrorOptions,
  isCairnClientError,
  parseApiErrorCode,
} from './errors.js';
export type { ExecuteOptions, GraphqlExecutor } from './executor.js';
export { graphql, type ResultOf, type TadaDocumentNode, type VariablesOf } from './graphql.js';
export { ASK, DATABASES, ME, PREDICATES, RETRACT, TEACH, TELL, TELL_MANY } from './operations.js';
export { readGraphqlResult, toClientError } from './response.js';
