// Rules every constant obeys, whichever syntax it came from, and the time format of facts.

import type { Value } from './ast.js';

/** Index of the first unpaired UTF-16 surrogate, or -1; such strings cannot be stored as UTF-8. */
export function findLoneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
      return index;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return index;
  }
  return -1;
}

/** Why `value` is not a valid constant, or undefined when it is. */
export function describeBadValue(value: unknown, maxStringLength: number): string | undefined {
  if (typeof value === 'string') {
    if (value.length > maxStringLength) {
      return `string is ${value.length} characters long; the limit is ${maxStringLength}`;
    }
    const lone = findLoneSurrogate(value);
    if (lone >= 0) return `string holds an unpaired UTF-16 surrogate at index ${lone}`;
    return undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `number ${value} is not finite`;
  }
  if (typeof value === 'boolean') return undefined;
  return `a constant is a string, a number or a boolean; got ${describeJsonType(value)}`;
}

/** -0 and 0 are the same constant; keeping one spelling makes equality structural. */
export function normalizeValue(value: Value): Value {
  return value === 0 ? 0 : value;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// Years 0000–9999 keep the printed form a plain ISO-8601 date-time.
export const minTime = Date.parse('0000-01-01T00:00:00Z');
export const maxTime = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch for an ISO-8601 date-time with an explicit offset
 * (`2026-01-01T00:00:00Z`, `2026-01-01T09:30:00+02:00`), or a message saying what is wrong.
 */
export function parseTime(text: string): number | string {
  const match = isoDateTime.exec(text);
  if (match === null) {
    return `${JSON.stringify(text)} is not an ISO-8601 date-time with a timezone, like "2026-01-01T00:00:00Z"`;
  }
  const [, year, month, day, hour, minute, second = '0', , offset = 'Z'] = match;
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  if (monthNumber < 1 || monthNumber > 12)
    return `month ${month} in ${JSON.stringify(text)} is not 01–12`;
  if (dayNumber < 1 || dayNumber > daysInMonth(Number(year), monthNumber)) {
    return `day ${day} in ${JSON.stringify(text)} does not exist in that month`;
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return `time of day in ${JSON.stringify(text)} is out of range`;
  }
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) {
    return `timezone offset ${offset} in ${JSON.stringify(text)} is out of range`;
  }
  const time = Date.parse(text);
  if (!Number.isFinite(time) || time < minTime || time > maxTime) {
    return `${JSON.stringify(text)} is outside the years 0000–9999`;
  }
  return time;
}

/** The ISO-8601 form of a time, without a `.000` millisecond part when it is zero. */
export function formatTime(time: number): string {
  const iso = new Date(time).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

export function isValidTime(time: unknown): time is number {
  return typeof time === 'number' && Number.isInteger(time) && time >= minTime && time <= maxTime;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
