import { LogicError } from '../errors.js';
import type { Fact } from '../language/ast.js';

export function assertName(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LogicError(
      'INVALID_VALUE',
      `${what} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
}

export function assertInstant(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new LogicError(
      'INVALID_VALUE',
      `${what} must be a finite number of milliseconds since the epoch`,
    );
  }
}

/** A fact must be ground, with finite values, confidence in [0, 1] and a sensible window. */
export function assertStorableFact(fact: Fact): void {
  assertName(fact.atom?.predicate, 'fact predicate');
  for (const term of fact.atom.args) {
    if (term.kind !== 'const') {
      throw new LogicError(
        'NOT_GROUND',
        `fact ${fact.atom.predicate}/${fact.atom.args.length} has variable ?${term.name}; facts must be ground — use a constant`,
      );
    }
    const kind = typeof term.value;
    if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
      throw new LogicError(
        'INVALID_VALUE',
        `fact ${fact.atom.predicate} has a ${kind} argument; use a string, number or boolean`,
      );
    }
    if (typeof term.value === 'number' && !Number.isFinite(term.value)) {
      throw new LogicError(
        'INVALID_VALUE',
        `fact ${fact.atom.predicate} has non-finite number ${term.value}`,
      );
    }
  }
  const { confidence, validFrom, validUntil, ttlSeconds } = fact;
  if (
    confidence !== undefined &&
    !(typeof confidence === 'number' && confidence >= 0 && confidence <= 1)
  ) {
    throw new LogicError(
      'INVALID_VALUE',
      `confidence must be a number in [0, 1], got ${String(confidence)}`,
    );
  }
  if (validFrom !== undefined) assertInstant(validFrom, 'validFrom');
  if (validUntil !== undefined) assertInstant(validUntil, 'validUntil');
  if (
    ttlSeconds !== undefined &&
    !(typeof ttlSeconds === 'number' && Number.isFinite(ttlSeconds) && ttlSeconds >= 0)
  ) {
    throw new LogicError(
      'INVALID_VALUE',
      `ttlSeconds must be a non-negative number, got ${String(ttlSeconds)}`,
    );
  }
}
