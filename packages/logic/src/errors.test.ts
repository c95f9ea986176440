import { describe, expect, it } from 'vitest';
import { LimitExceededError, LogicError, LogicSyntaxError } from './errors.js';

describe('LogicError', () => {
  it('carries a code and passes the cause through', () => {
    const cause = new RangeError('inner');
    const error = new LogicError('INVALID_JSON', 'bad', { cause });
    expect([error.code, error.message, error.name, error.cause]).toEqual([
      'INVALID_JSON',
      'bad',
      'LogicError',
      cause,
    ]);
    expect('cause' in new LogicError('SYNTAX', 'no cause')).toBe(false);
  });

  it('has subclasses with typed fields and fixed codes', () => {
    const syntax = new LogicSyntaxError('line 2, column 3: oops', {
      line: 2,
      column: 3,
      expected: ["')'"],
    });
    expect(syntax).toBeInstanceOf(LogicError);
    expect([syntax.code, syntax.line, syntax.column, syntax.expected, syntax.name]).toEqual([
      'SYNTAX',
      2,
      3,
      ["')'"],
      'LogicSyntaxError',
    ]);
    expect(Object.isFrozen(syntax.expected)).toBe(true);
    const limit = new LimitExceededError('maxSteps', 1000);
    expect(limit).toBeInstanceOf(LogicError);
    expect([limit.code, limit.limit, limit.value, limit.message]).toEqual([
      'LIMIT_EXCEEDED',
      'maxSteps',
      1000,
      'query exceeded maxSteps (1000)',
    ]);
  });
});
