// The optional annotations of a fact (confidence, validity window, time to live), checked the
// same way whether they come from the text syntax or the JSON form.

/** Ten thousand years: far beyond any useful lifetime, small enough that `at + ttl` stays exact. */
export const maxTtlSeconds = 315_576_000_000;

export interface FactAnnotations {
  confidence?: number;
  validFrom?: number;
  validUntil?: number;
  ttlSeconds?: number;
}

/** Why `value` is not a confidence, or undefined. */
export function describeBadConfidence(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return `confidence must be a number from 0 to 1; got ${String(value)}`;
  }
  return undefined;
}

/** Why `value` is not a time to live in seconds, or undefined. */
export function describeBadTtl(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxTtlSeconds) {
    return `ttl must be a number of seconds greater than 0 and at most ${maxTtlSeconds}; got ${String(value)}`;
  }
  return undefined;
}

/** Spellings of the annotation names in the text syntax and in the JSON form. */
export const textAnnotationNames = { ttl: 'ttl', from: 'valid_from', until: 'valid_until' };
export const jsonAnnotationNames = { ttl: 'ttlSeconds', from: 'validFrom', until: 'validUntil' };

/** Why the annotations contradict each other, or undefined. */
export function describeBadCombination(
  annotations: FactAnnotations,
  names: typeof textAnnotationNames = textAnnotationNames,
): string | undefined {
  if (annotations.ttlSeconds !== undefined && annotations.validUntil !== undefined) {
    return `a fact takes either ${names.ttl} or ${names.until}, not both`;
  }
  if (
    annotations.validFrom !== undefined &&
    annotations.validUntil !== undefined &&
    annotations.validFrom >= annotations.validUntil
  ) {
    return `${names.from} must be earlier than ${names.until}`;
  }
  return undefined;
}
