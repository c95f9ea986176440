/**
 * One stored version of a fact, as interned constant ids. A closed validity window (retract,
 * TTL, a later explicit false) keeps the record so that as-of queries before the close still
 * see it; compaction removes it for good.
 */
export interface FactRecord {
  readonly ids: readonly number[];
  readonly confidence?: number | undefined;
  /** Start of validity: the asserted `validFrom`, else when it was (first) asserted. */
  readonly validFrom: number;
  validUntil?: number | undefined;
  readonly at: number;
  readonly by?: string | undefined;
}

/**
 * Whether a record belongs in a predicate's cached relation: open-ended and already valid when
 * asserted. Everything else (closed windows, future starts) is checked per query instant.
 */
export function isCacheable(record: FactRecord): boolean {
  return record.validUntil === undefined && record.validFrom <= record.at;
}

export function isVisibleAt(record: FactRecord, instant: number): boolean {
  return (
    record.validFrom <= instant && (record.validUntil === undefined || instant < record.validUntil)
  );
}

export function tupleKey(ids: readonly number[]): string {
  return ids.join(',');
}
