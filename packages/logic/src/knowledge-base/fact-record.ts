/**
 * One stored version of a fact, as interned constant ids. A closed validity window (retract,
 * TTL, a later explicit false) keeps the record so that as-of queries before the close still
 * see it; compaction removes it for good.
 */
export interface FactRecord {
  readonly ids: readonly number[];
  readonly confidence?: number | undefined;
  readonly validFrom?: number | undefined;
  validUntil?: number | undefined;
  readonly at: number;
  readonly by?: string | undefined;
}

export function isTimeBounded(record: FactRecord): boolean {
  return record.validFrom !== undefined || record.validUntil !== undefined;
}

export function isVisibleAt(record: FactRecord, instant: number): boolean {
  return (
    (record.validFrom === undefined || record.validFrom <= instant) &&
    (record.validUntil === undefined || instant < record.validUntil)
  );
}

export function tupleKey(ids: readonly number[]): string {
  return ids.join(',');
}
