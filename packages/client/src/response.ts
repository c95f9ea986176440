import { CairnClientError, parseApiErrorCode } from './errors.js';

interface GraphqlErrorShape {
  readonly message?: unknown;
  readonly extensions?: Record<string, unknown>;
}

/**
 * A GraphQL result (`{ data, errors }`) → its data, or the first error as a CairnClientError
 * with the API's code, message and position. Operations here select one root field, so a
 * partial result is an error.
 */
export function readGraphqlResult<Result>(body: unknown, status?: number): Result {
  if (typeof body !== 'object' || body === null) {
    throw new CairnClientError(
      'BAD_RESPONSE',
      'the API answered something that is not a JSON object',
      {
        ...(status === undefined ? {} : { status }),
      },
    );
  }
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    throw toClientError(errors[0] as GraphqlErrorShape, status);
  }
  if (typeof data !== 'object' || data === null) {
    throw new CairnClientError('BAD_RESPONSE', 'the API answered without data or errors', {
      ...(status === undefined ? {} : { status }),
    });
  }
  return data as Result;
}

export function toClientError(error: GraphqlErrorShape, status?: number): CairnClientError {
  const extensions = error.extensions ?? {};
  const message = typeof error.message === 'string' ? error.message : 'the API reported an error';
  return new CairnClientError(parseApiErrorCode(extensions.code), message, {
    ...(status === undefined ? {} : { status }),
    ...(typeof extensions.line === 'number' ? { line: extensions.line } : {}),
    ...(typeof extensions.column === 'number' ? { column: extensions.column } : {}),
    ...(typeof extensions.argument === 'string' ? { argument: extensions.argument } : {}),
  });
}
