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

export function isVisibleAt(record: FactRecord, instant: number): boolean {
  return (
    record.validFrom <= instant && (record.validUntil === undefined || instant < record.validUntil)
  );
}

const SHIFT = 2 ** 26;

/**
 * Map key of a tuple. Unary and binary tuples (almost all facts) get a number — cheaper to
 * hash and store than a string; ids stay below 2^26 for any realistic dictionary.
 */
export function tupleKey(ids: readonly number[]): number | string {
  if (ids.length === 1) return ids[0] as number;
  if (ids.length === 2 && (ids[1] as number) < SHIFT && (ids[0] as number) < SHIFT) {
    return (ids[0] as number) * SHIFT + (ids[1] as number);
  }
  return ids.join(',');
}
