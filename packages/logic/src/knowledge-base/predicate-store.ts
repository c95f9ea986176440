import { Relation } from '../engine/relation.js';
import { type FactRecord, isVisibleAt, tupleKey } from './fact-record.js';

/** What a retract or explicit false does to a matching stored fact. */
export type PatternMatcher = (ids: readonly number[]) => boolean;

/**
 * The stored facts of one predicate in one tenant. Queries read a cached Relation of the facts
 * visible at their instant; the cache remembers the time interval over which that set does not
 * change, so the hot path (asking "now", again and again) does no time check and keeps its
 * hash indexes alive across queries. Asserting a fact that starts now appends to the cache and
 * moves the interval's start; a retract or an expiry ends the interval, and the next query
 * past it rebuilds the cache once.
 */
export class PredicateStore {
  readonly name: string;
  readonly arity: number;
  /** Latest version of each positive fact, by tuple key, in insertion order. */
  readonly current = new Map<number | string, FactRecord>();
  /** Explicit false facts (`not p(a)`): listed, never used in inference. */
  readonly negatives = new Map<number | string, FactRecord>();
  /** Older versions of positive facts whose window was closed before a new assertion. */
  history: FactRecord[] = [];
  private cache: Relation | undefined;
  /** The cache holds exactly the positive facts visible at every instant in [from, until). */
  private from = Number.NEGATIVE_INFINITY;
  private until = Number.POSITIVE_INFINITY;
  // Records keep plain number arrays (far smaller than one typed array each); tuples are
  // copied through this buffer into relations.
  private readonly scratch: Int32Array;

  constructor(name: string, arity: number) {
    this.name = name;
    this.arity = arity;
    this.scratch = new Int32Array(arity);
  }

  get isEmpty(): boolean {
    return this.current.size === 0 && this.negatives.size === 0 && this.history.length === 0;
  }

  /** `explicitFrom`: whether the assertion gave validFrom; else a still-valid version keeps its start. */
  assertPositive(asserted: FactRecord, at: number, explicitFrom: boolean): void {
    const key = tupleKey(asserted.ids);
    if (this.negatives.size > 0) this.negatives.delete(key);
    const previous = this.current.get(key);
    const record =
      !explicitFrom && previous !== undefined && isVisibleAt(previous, at)
        ? { ...asserted, validFrom: previous.validFrom }
        : asserted;
    this.current.set(key, record);
    if (previous === undefined) {
      this.added(record);
    } else if (previous.validUntil !== undefined && previous.validUntil <= at) {
      // A version closed by a retract stays visible to as-of queries before the close.
      this.history.push(previous);
      this.added(record);
    } else if (previous.validFrom !== record.validFrom || previous.validUntil !== record.validUntil)
      this.cache = undefined;
  }

  assertNegative(record: FactRecord, at: number): void {
    const key = tupleKey(record.ids);
    const positive = this.current.get(key);
    if (positive !== undefined) this.close(positive, at);
    this.negatives.set(key, record);
  }

  /** Closes the window of every fact matching that is still open; removes matching explicit falses. */
  retract(matches: PatternMatcher, at: number): number {
    let affected = 0;
    for (const record of this.current.values()) {
      const closed = record.validUntil !== undefined && record.validUntil <= at;
      if (!closed && matches(record.ids)) {
        this.close(record, at);
        affected++;
      }
    }
    for (const [key, record] of this.negatives) {
      if (matches(record.ids)) {
        this.negatives.delete(key);
        affected++;
      }
    }
    return affected;
  }

  /** Physically removes every record whose window closed at or before `at`. */
  compact(at: number): number {
    const expired = (r: FactRecord): boolean => r.validUntil !== undefined && r.validUntil <= at;
    let removed = 0;
    for (const map of [this.current, this.negatives]) {
      for (const [key, record] of map) {
        if (expired(record)) {
          map.delete(key);
          removed++;
        }
      }
    }
    const kept = this.history.filter((r) => !expired(r));
    removed += this.history.length - kept.length;
    this.history = kept;
    if (removed > 0) this.cache = undefined;
    return removed;
  }

  /** Adds a record exactly as written in a snapshot. */
  restore(record: FactRecord, kind: 'current' | 'negative' | 'history'): void {
    const key = tupleKey(record.ids);
    if (kind === 'negative') this.negatives.set(key, record);
    else if (kind === 'history') this.history.push(record);
    else this.current.set(key, record);
    this.cache = undefined;
  }

  /** The facts visible at `instant` as a relation, or undefined when there are none. */
  relationAt(instant: number): Relation | undefined {
    if (this.cache === undefined || instant < this.from || instant >= this.until)
      this.rebuild(instant);
    const cache = this.cache as Relation;
    return cache.size > 0 ? cache : undefined;
  }

  /** Every record, for listing: current, explicit falses, then history. */
  *records(): Iterable<{ record: FactRecord; negated: boolean }> {
    for (const record of this.current.values()) yield { record, negated: false };
    for (const record of this.negatives.values()) yield { record, negated: true };
    for (const record of this.history) yield { record, negated: false };
  }

  private rebuild(instant: number): void {
    const relation = new Relation(this.arity, this.current.size);
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    const visit = (record: FactRecord): void => {
      // The visible set only changes where some window starts or ends.
      const start = record.validFrom;
      if (start <= instant) {
        if (start > from) from = start;
      } else if (start < until) until = start;
      const end = record.validUntil;
      if (end !== undefined) {
        if (end <= instant) {
          if (end > from) from = end;
        } else if (end < until) until = end;
      }
      if (isVisibleAt(record, instant)) this.insertInto(relation, record.ids);
    };
    for (const record of this.current.values()) visit(record);
    for (const record of this.history) visit(record);
    this.cache = relation;
    this.from = from;
    this.until = until;
  }

  private added(record: FactRecord): void {
    const cache = this.cache;
    if (cache === undefined) return;
    const end = record.validUntil ?? Number.POSITIVE_INFINITY;
    if (end <= this.from || record.validFrom >= this.until) return; // never visible in the interval
    const from = Math.max(this.from, record.validFrom);
    const until = Math.min(this.until, end);
    if (from >= until) {
      this.cache = undefined;
      return;
    }
    // Visible over all of [from, until), which lies within the old interval: append it.
    this.insertInto(cache, record.ids);
    this.from = from;
    this.until = until;
  }

  private close(record: FactRecord, at: number): void {
    if (record.validUntil !== undefined && record.validUntil <= at) return;
    record.validUntil = at;
    if (this.cache === undefined) return;
    if (at > this.from) this.until = Math.min(this.until, at);
    else this.cache = undefined;
  }

  private insertInto(relation: Relation, ids: readonly number[]): void {
    this.scratch.set(ids);
    relation.insert(this.scratch);
  }
}
