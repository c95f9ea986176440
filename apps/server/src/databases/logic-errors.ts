import { LogicError, LogicSyntaxError } from '@cairn/logic';
import { CairnError } from '../errors.js';

/**
 * Knowledge-language and engine errors are the caller's doing: BAD_USER_INPUT with the argument
 * and, for syntax errors, line and column. Anything else is rethrown (and masked later).
 */
export function translateLogicError(error: unknown, argument: string): never {
  if (error instanceof LogicSyntaxError) {
    throw new CairnError('BAD_USER_INPUT', `${argument}: ${error.message}`, {
      cause: error,
      argument,
      line: error.line,
      column: error.column,
    });
  }
  if (error instanceof LogicError) {
    if (error.code === 'UNKNOWN_RULE') {
      throw new CairnError('NOT_FOUND', error.message, { cause: error, argument });
    }
    if (error.code === 'INVALID_SNAPSHOT' || error.code === 'INVALID_OPERATION') throw error;
    throw new CairnError('BAD_USER_INPUT', `${argument}: ${error.message}`, {
      cause: error,
      argument,
    });
  }
  throw error;
}

/** Runs `fn`, translating knowledge-language errors about `argument`. */
export function withArgument<T>(argument: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    return translateLogicError(error, argument);
  }
}
