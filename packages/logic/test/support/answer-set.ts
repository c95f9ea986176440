// Answers of both evaluators reduced to one comparable form: a sorted, duplicate-free list of
// tuples (values in the order of the query's variables), each keyed by a type-tagged string so
// that "1" and 1 and true stay different while 1 and 1.0 (the same double) are equal.
import type { Value } from '../../src/language/ast.js';

export type Tuple = readonly Value[];

export interface AnswerSet {
  /** Sorted, distinct keys of the tuples. */
  readonly keys: readonly string[];
}

export function tupleKey(tuple: Tuple): string {
  return JSON.stringify(tuple.map((value) => (Object.is(value, -0) ? 0 : value)));
}

export function createAnswerSet(tuples: Iterable<Tuple>): AnswerSet {
  const keys = new Set<string>();
  for (const tuple of tuples) keys.add(tupleKey(tuple));
  return { keys: [...keys].sort() };
}

/** Tuples of Cairn solutions (records keyed by variable name) in the given column order. */
export function tuplesFromSolutions(
  solutions: ReadonlyArray<Readonly<Record<string, Value>>>,
  variables: readonly string[],
): Tuple[] {
  return solutions.map((solution) =>
    variables.map((name) => {
      const value = solution[name];
      if (value === undefined) {
        throw new Error(`solution ${JSON.stringify(solution)} has no value for ?${name}`);
      }
      return value;
    }),
  );
}

export interface AnswerSetDifference {
  readonly onlyLeft: readonly string[];
  readonly onlyRight: readonly string[];
}

export function diffAnswerSets(left: AnswerSet, right: AnswerSet): AnswerSetDifference {
  const rightKeys = new Set(right.keys);
  const leftKeys = new Set(left.keys);
  return {
    onlyLeft: left.keys.filter((key) => !rightKeys.has(key)),
    onlyRight: right.keys.filter((key) => !leftKeys.has(key)),
  };
}

/**
 * An order-independent fingerprint of a set of distinct tuples: the count and two 32-bit sums
 * of per-tuple FNV-1a hashes (different offsets). The bench compares millions of answers this
 * way without sorting them or holding both sets at once.
 */
export class AnswerFingerprint {
  #count = 0;
  #sumA = 0;
  #sumB = 0;

  add(key: string): void {
    this.#count++;
    this.#sumA = (this.#sumA + fnv1a(key, 0x811c9dc5)) >>> 0;
    this.#sumB = (this.#sumB + fnv1a(key, 0x01000193)) >>> 0;
  }

  addTuple(tuple: Tuple): void {
    this.add(tupleKey(tuple));
  }

  get count(): number {
    return this.#count;
  }

  /** `count:hexA hexB`, identical for identical sets of distinct tuples. */
  digest(): string {
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    return `${this.#count}:${hex(this.#sumA)}${hex(this.#sumB)}`;
  }
}

function fnv1a(text: string, offset: number): number {
  let hash = offset;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
