import { LimitExceededError, LogicError } from '../errors.js';

export interface QueryLimits {
  /** Most answers a query may return; use `limit` to truncate instead of failing. */
  readonly maxAnswers: number;
  /** Most tuples (derived and demand) one evaluation may create. */
  readonly maxDerivedTuples: number;
  /** Most join steps (tuples visited and rule firings) one evaluation may take: a time budget. */
  readonly maxSteps: number;
}

export const DEFAULT_LIMITS: QueryLimits = Object.freeze({
  maxAnswers: 100_000,
  maxDerivedTuples: 10_000_000,
  maxSteps: 100_000_000,
});

export function resolveLimits(...layers: Array<Partial<QueryLimits> | undefined>): QueryLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const name of ['maxAnswers', 'maxDerivedTuples', 'maxSteps'] as const) {
      const value = layer[name];
      if (value === undefined) continue;
      if (
        typeof value !== 'number' ||
        !(value >= 0) ||
        (!Number.isInteger(value) && value !== Number.POSITIVE_INFINITY)
      ) {
        throw new LogicError(
          'INVALID_VALUE',
          `limit ${name} must be a non-negative integer, got ${String(value)}`,
        );
      }
      out[name] = value;
    }
  }
  return out;
}

/** Work counters of one evaluation; every hot loop bumps one and checks it against its limit. */
export class Budget {
  steps = 0;
  derived = 0;
  readonly maxSteps: number;
  readonly maxDerivedTuples: number;

  constructor(limits: QueryLimits) {
    this.maxSteps = limits.maxSteps;
    this.maxDerivedTuples = limits.maxDerivedTuples;
  }

  stepsExceeded(): never {
    throw new LimitExceededError(
      'maxSteps',
      this.maxSteps,
      `query exceeded maxSteps (${this.maxSteps} join steps); narrow the query with bound arguments or raise limits.maxSteps`,
    );
  }

  derivedExceeded(): never {
    throw new LimitExceededError(
      'maxDerivedTuples',
      this.maxDerivedTuples,
      `query exceeded maxDerivedTuples (${this.maxDerivedTuples} derived tuples); narrow the query or raise limits.maxDerivedTuples`,
    );
  }
}
