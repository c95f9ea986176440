import { describe, expect, it } from 'vitest';
import { LimitExceededError } from '../errors.js';
import { parseProgram, parseQuery } from '../language/parser.js';
import { solve } from './solve.js';

const chain = (n: number): string =>
  `${Array.from({ length: n }, (_, i) => `e(n${i}, n${i + 1}).`).join(' ')}
   p(?x, ?y) :- e(?x, ?y). p(?x, ?y) :- p(?x, ?z), e(?z, ?y).`;

function limitOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    if (error instanceof LimitExceededError) return error.limit;
    throw error;
  }
  return undefined;
}

describe('query limits', () => {
  const program = parseProgram(chain(60));
  const all = parseQuery('p(?x, ?y)');

  it('each limit raises LimitExceededError naming it', () => {
    expect(solve(program, all).count).toBe(1830);
    expect(limitOf(() => solve(program, all, { limits: { maxAnswers: 100 } }))).toBe('maxAnswers');
    expect(limitOf(() => solve(program, all, { limits: { maxDerivedTuples: 500 } }))).toBe(
      'maxDerivedTuples',
    );
    expect(limitOf(() => solve(program, all, { limits: { maxSteps: 1_000 } }))).toBe('maxSteps');
  });

  it('`limit` truncates instead of failing, and reports the full count', () => {
    const result = solve(program, all, { limit: 5, limits: { maxAnswers: 100 } });
    expect(result.solutions).toHaveLength(5);
    expect(result).toMatchObject({ count: 1830, truncated: true });
    expect(solve(program, parseQuery('p(n0, n1)'), { limit: 5 }).truncated).toBe(false);
  });

  it('the error says what to change', () => {
    try {
      solve(program, all, { limits: { maxSteps: 10 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LimitExceededError);
      expect((error as LimitExceededError).value).toBe(10);
      expect((error as Error).message).toMatch(/maxSteps/);
    }
  });
});
