import { Relation } from '../engine/relation.js';
import { type FactRecord, isCacheable, isVisibleAt, tupleKey } from './fact-record.js';

/** What a retract or explicit false does to a matching stored fact. */
export type PatternMatcher = (ids: readonly number[]) => boolean;

/**
 * The stored facts of one predicate in one tenant. Facts without a validity window (the common
 * case) are kept in a cached Relation with its hash indexes alive across queries, so the hot
 * path has no time checks; time-bounded records are merged in only when visible at the query
 * instant.
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
  private readonly bounded = new Set<FactRecord>();
  private cache: Relation | undefined;
  /** Latest start among cached records: queries at or after it need no time filtering. */
  private newestFrom = Number.NEGATIVE_INFINITY;
  // Records keep plain number arrays (far smaller than one typed array each); tuples are
  // copied through this buffer into relations.
  private readonly scratch: Int32Array;

  constructor(name: string, arity: number) {
    this.name = name;
    this.arity = arity;
    this.scratch = new Int32Array(arity);
  }

  private insertInto(relation: Relation, ids: readonly number[]): void {
    this.scratch.set(ids);
    relation.insert(this.scratch);
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
    if (previous !== undefined) {
      // A version closed by a retract stays visible to as-of queries before the close.
      if (previous.validUntil !== undefined && previous.validUntil <= at)
        this.history.push(previous);
      else this.bounded.delete(previous);
    }
    this.current.set(key, record);
    const wasCached = previous !== undefined && isCacheable(previous);
    if (!isCacheable(record)) {
      this.bounded.add(record);
      if (wasCached) this.cache = undefined;
    } else if (!wasCached && this.cache !== undefined) {
      this.insertInto(this.cache, record.ids);
      this.newestFrom = Math.max(this.newestFrom, record.validFrom);
    }
  }

  assertNegative(record: FactRecord, at: number): void {
    const key = tupleKey(record.ids);
    const positive = this.current.get(key);
    if (positive !== undefined) this.close(positive, at);
    this.negatives.set(key, record);
  }

  /** Closes the window of every visible fact matching; removes matching explicit falses. */
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
    for (const [key, record] of this.current) {
      if (expired(record)) {
        this.current.delete(key);
        this.bounded.delete(record);
        removed++;
      }
    }
    for (const [key, record] of this.negatives) {
      if (expired(record)) {
        this.negatives.delete(key);
        removed++;
      }
    }
    const kept = this.history.filter((r) => !expired(r));
    removed += this.history.length - kept.length;
    for (const r of this.history) if (expired(r)) this.bounded.delete(r);
    this.history = kept;
    return removed;
  }

  /** Adds a record exactly as written in a snapshot. */
  restore(record: FactRecord, kind: 'current' | 'negative' | 'history'): void {
    const key = tupleKey(record.ids);
    if (kind === 'negative') this.negatives.set(key, record);
    else if (kind === 'history') this.history.push(record);
    else this.current.set(key, record);
    if (kind !== 'negative' && !isCacheable(record)) this.bounded.add(record);
    this.cache = undefined;
  }

  /** The facts visible at `instant` as a relation, or undefined when there are none. */
  relationAt(instant: number): Relation | undefined {
    if (this.cache === undefined) {
      const cache = new Relation(this.arity, this.current.size);
      let newest = Number.NEGATIVE_INFINITY;
      for (const record of this.current.values()) {
        if (!isCacheable(record)) continue;
        this.insertInto(cache, record.ids);
        newest = Math.max(newest, record.validFrom);
      }
      this.cache = cache;
      this.newestFrom = newest;
    }
    if (instant < this.newestFrom) {
      // A query before some cached fact began: filter every record (as-of queries only).
      const past = new Relation(this.arity);
      for (const { record, negated } of this.records()) {
        if (!negated && isVisibleAt(record, instant)) this.insertInto(past, record.ids);
      }
      return past.size > 0 ? past : undefined;
    }
    const visible: FactRecord[] = [];
    for (const record of this.bounded) if (isVisibleAt(record, instant)) visible.push(record);
    if (visible.length === 0) return this.cache.size > 0 ? this.cache : undefined;
    const merged = new Relation(this.arity, this.cache.size + visible.length);
    const cache = this.cache;
    for (let t = 0; t < cache.size; t++) merged.insert(cache.data, t * this.arity);
    for (const record of visible) this.insertInto(merged, record.ids);
    return merged;
  }

  /** Every record, for listing: current, explicit falses, then history. */
  *records(): Iterable<{ record: FactRecord; negated: boolean }> {
    for (const record of this.current.values()) yield { record, negated: false };
    for (const record of this.negatives.values()) yield { record, negated: true };
    for (const record of this.history) yield { record, negated: false };
  }

  private close(record: FactRecord, at: number): void {
    if (record.validUntil !== undefined && record.validUntil <= at) return;
    if (isCacheable(record)) this.cache = undefined;
    record.validUntil = at;
    this.bounded.add(record);
  }
}
