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
 *
 * The latest positive version of each tuple is found through `keys`, a Relation of the stored
 * tuples (tuple number t ↔ `latest[t]`), not a Map: no per-fact key object, one flat table.
 * When every stored fact is visible (the common bulk load), the cache is `keys` itself, so
 * the first query after a load builds nothing.
 */
export class PredicateStore {
  readonly name: string;
  readonly arity: number;
  /** Tuples of the positive facts (closed ones included until compaction), in insertion order. */
  private keys: Relation;
  /** `latest[t]`: latest version of the positive fact whose tuple number in `keys` is t. */
  private latest: FactRecord[] = [];
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
    this.keys = new Relation(arity);
  }

  /** Latest version of each positive fact, in insertion order. */
  get current(): readonly FactRecord[] {
    return this.latest;
  }

  get isEmpty(): boolean {
    return this.latest.length === 0 && this.negatives.size === 0 && this.history.length === 0;
  }

  /** Tuple number of `ids` in `keys`, or -1; leaves the tuple in `scratch`. */
  private find(ids: readonly number[]): number {
    const scratch = this.scratch;
    for (let i = 0; i < ids.length; i++) scratch[i] = ids[i] as number;
    return this.keys.find(scratch);
  }

  /** `explicitFrom`: whether the assertion gave validFrom; else a still-valid version keeps its start. */
  assertPositive(asserted: FactRecord, at: number, explicitFrom: boolean): void {
    if (this.negatives.size > 0) this.negatives.delete(tupleKey(asserted.ids));
    // `added` decides whether the cache takes a new tuple; a cache shared with `keys` must not
    // get it through `keys` when it should not (dropping the cache is always safe).
    if (this.cache === this.keys && !this.appends(asserted)) this.cache = undefined;
    const scratch = this.scratch;
    const ids = asserted.ids;
    for (let i = 0; i < ids.length; i++) scratch[i] = ids[i] as number;
    // One probe for a new tuple (the bulk-load case), a second one only for a known tuple.
    const added = this.keys.insert(scratch);
    if (added >= 0) {
      this.latest.push(asserted);
      this.added(asserted);
      return;
    }
    const t = this.keys.find(scratch);
    const previous = this.latest[t] as FactRecord;
    const record =
      !explicitFrom && isVisibleAt(previous, at)
        ? { ...asserted, validFrom: previous.validFrom }
        : asserted;
    this.latest[t] = record;
    if (previous.validUntil !== undefined && previous.validUntil <= at) {
      // A version closed by a retract stays visible to as-of queries before the close.
      this.history.push(previous);
      this.added(record);
    } else if (previous.validFrom !== record.validFrom || previous.validUntil !== record.validUntil)
      this.cache = undefined;
  }

  assertNegative(record: FactRecord, at: number): void {
    const t = this.find(record.ids);
    if (t >= 0) this.close(this.latest[t] as FactRecord, at);
    this.negatives.set(tupleKey(record.ids), record);
  }

  /** Closes the window of every fact matching that is still open; removes matching explicit falses. */
  retract(matches: PatternMatcher, at: number): number {
    let affected = 0;
    for (const record of this.latest) {
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
    for (const [key, record] of this.negatives) {
      if (expired(record)) {
        this.negatives.delete(key);
        removed++;
      }
    }
    const live = this.latest.filter((r) => !expired(r));
    if (live.length < this.latest.length) {
      removed += this.latest.length - live.length;
      this.cache = undefined;
      this.keys = new Relation(this.arity, live.length);
      this.latest = [];
      for (const record of live) this.addLatest(record);
    }
    const kept = this.history.filter((r) => !expired(r));
    removed += this.history.length - kept.length;
    this.history = kept;
    if (removed > 0) this.cache = undefined;
    return removed;
  }

  /** Adds a record exactly as written in a snapshot. */
  restore(record: FactRecord, kind: 'current' | 'negative' | 'history'): void {
    this.cache = undefined;
    if (kind === 'negative') this.negatives.set(tupleKey(record.ids), record);
    else if (kind === 'history') this.history.push(record);
    else {
      const t = this.find(record.ids);
      if (t >= 0) this.latest[t] = record;
      else this.addLatest(record);
    }
  }

  /** Appends the record of a tuple not in `keys`. */
  private addLatest(record: FactRecord): void {
    this.find(record.ids);
    this.latest.push(record);
    this.keys.insert(this.scratch);
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
    for (const record of this.latest) yield { record, negated: false };
    for (const record of this.negatives.values()) yield { record, negated: true };
    for (const record of this.history) yield { record, negated: false };
  }

  private rebuild(instant: number): void {
    let visible = 0;
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
      if (isVisibleAt(record, instant)) visible++;
    };
    for (const record of this.latest) visit(record);
    let relation = this.keys;
    if (this.history.length > 0 || visible < this.latest.length) {
      relation = new Relation(this.arity, visible);
      for (const record of this.latest)
        if (isVisibleAt(record, instant)) this.insertInto(relation, record.ids);
      for (const record of this.history) {
        visit(record);
        if (isVisibleAt(record, instant)) this.insertInto(relation, record.ids);
      }
    }
    this.cache = relation;
    this.from = from;
    this.until = until;
  }

  /** Whether `added` would append the record to the cache. */
  private appends(record: FactRecord): boolean {
    const end = record.validUntil ?? Number.POSITIVE_INFINITY;
    if (end <= this.from || record.validFrom >= this.until) return false;
    return Math.max(this.from, record.validFrom) < Math.min(this.until, end);
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
    const scratch = this.scratch;
    for (let i = 0; i < ids.length; i++) scratch[i] = ids[i] as number;
    relation.insert(scratch);
  }
}
