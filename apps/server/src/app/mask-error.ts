import { GraphQLError } from 'graphql';
import { CairnError, isCairnError, toGraphQLError } from '../errors.js';
import { isSqlOutage } from './sql-outage.js';

export const MASKED_MESSAGE = 'Unexpected error.';

/** What a client is told while the SQL store is away: retryable, without driver details. */
export const SQL_OUTAGE_MESSAGE =
  'The SQL store (DATABASE_URL or the embedded store) does not answer; retry shortly.';

/**
 * The one place GraphQL errors are translated. CairnErrors keep their message and code;
 * GraphQL's own errors (syntax, validation, coercion) pass; anything else becomes a masked
 * INTERNAL error — never a stack, an SQL statement or a file path.
 */
export function maskError(error: unknown, onUnexpected: (error: unknown) => void): Error {
  if (isGraphQLError(error)) {
    const original = error.originalError;
    if (isCairnError(original)) return withLocation(toGraphQLError(original), error);
    if (isGraphQLError(original)) return maskError(original, onUnexpected);
    if (original === undefined || original === null) {
      // Validation and coercion errors: say what is wrong, with a code clients can act on.
      if (error.extensions.code !== undefined) return error;
      return new GraphQLError(error.message, {
        nodes: error.nodes ?? null,
        source: error.source ?? null,
        positions: error.positions ?? null,
        path: error.path ?? null,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
      });
    }
    onUnexpected(original);
    if (isSqlOutage(original)) {
      return withLocation(toGraphQLError(new CairnError('UNAVAILABLE', SQL_OUTAGE_MESSAGE)), error);
    }
    return new GraphQLError(MASKED_MESSAGE, {
      nodes: error.nodes ?? null,
      path: error.path ?? null,
      extensions: { code: 'INTERNAL' },
    });
  }
  if (isCairnError(error)) return toGraphQLError(error);
  onUnexpected(error);
  if (isSqlOutage(error)) return toGraphQLError(new CairnError('UNAVAILABLE', SQL_OUTAGE_MESSAGE));
  return new GraphQLError(MASKED_MESSAGE, { extensions: { code: 'INTERNAL' } });
}

function withLocation(translated: GraphQLError, located: GraphQLError): GraphQLError {
  return new GraphQLError(translated.message, {
    nodes: located.nodes ?? null,
    path: located.path ?? null,
    extensions: translated.extensions,
    originalError: translated.originalError ?? null,
  });
}

/**
 * Duck-typed: yoga's executor and our code can load graphql through different module
 * formats (ESM and CJS), and then `instanceof GraphQLError` is false for real GraphQL errors.
 */
function isGraphQLError(value: unknown): value is GraphQLError {
  return (
    value instanceof GraphQLError ||
    (value instanceof Error &&
      value.name === 'GraphQLError' &&
      'extensions' in value &&
      'path' in value)
  );
}
