// The errors of @cairn/logic: one base class with a string code union, and subclasses only
// where they carry typed fields. Engine codes are added by editing the union below.

export type LogicErrorCode =
  | 'SYNTAX'
  | 'UNSAFE_RULE'
  | 'NOT_GROUND'
  | 'INVALID_VALUE'
  | 'INVALID_JSON'
  | 'UNSTRATIFIABLE'
  | 'LIMIT_EXCEEDED'
  | 'UNKNOWN_RULE'
  | 'INVALID_OPERATION'
  | 'INVALID_SNAPSHOT';

export class LogicError extends Error {
  readonly code: LogicErrorCode;

  constructor(code: LogicErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LogicError';
    this.code = code;
  }
}

/** Text that does not follow the knowledge language. `line` and `column` are 1-based. */
export class LogicSyntaxError extends LogicError {
  readonly line: number;
  readonly column: number;
  readonly expected: readonly string[];

  constructor(
    message: string,
    position: { line: number; column: number; expected?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    super('SYNTAX', message, options);
    this.name = 'LogicSyntaxError';
    this.line = position.line;
    this.column = position.column;
    this.expected = Object.freeze([...(position.expected ?? [])]);
  }
}

/** A query or evaluation went past one of its configured limits. */
export class LimitExceededError extends LogicError {
  readonly limit: 'maxAnswers' | 'maxDerivedTuples' | 'maxSteps';
  readonly value: number;

  constructor(
    limit: 'maxAnswers' | 'maxDerivedTuples' | 'maxSteps',
    value: number,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super('LIMIT_EXCEEDED', message ?? `query exceeded ${limit} (${value})`, options);
    this.name = 'LimitExceededError';
    this.limit = limit;
    this.value = value;
  }
}
