// Reads `[confidence=0.9, valid_from="2026-01-01T00:00:00Z", valid_until="…", ttl=3600]`
// after a fact. Each bad value is reported at its own position.

import {
  describeBadCombination,
  describeBadConfidence,
  describeBadTtl,
  type FactAnnotations,
} from './annotations.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';
import { parseTime } from './values.js';

export const annotationKeys = ['confidence', 'valid_from', 'valid_until', 'ttl'] as const;
type AnnotationKey = (typeof annotationKeys)[number];

function isAnnotationKey(name: string): name is AnnotationKey {
  return (annotationKeys as readonly string[]).includes(name);
}

export function parseAnnotations(parser: Parser): FactAnnotations {
  const lexer = parser.lexer;
  const open = lexer.next();
  const annotations: FactAnnotations = {};
  const seen = new Set<string>();
  for (;;) {
    const key = lexer.next();
    if (key.kind !== 'name' || !isAnnotationKey(key.value as string)) {
      const expected = annotationKeys.map((name) => `'${name}'`);
      if (key.kind === 'name') {
        parser.fail(
          key,
          `unknown annotation '${key.value}'; a fact takes ${annotationKeys.join(', ')}`,
          expected,
        );
      }
      parser.failExpecting(key, expected);
    }
    const name = key.value as AnnotationKey;
    if (seen.has(name)) parser.failAt(key, 'INVALID_VALUE', `${name} is given twice`);
    seen.add(name);
    const equals = lexer.next();
    if (equals.kind !== 'operator' || equals.value !== '=') parser.failExpecting(equals, ["'='"]);
    const value = lexer.next();
    readAnnotation(parser, annotations, name, value);
    const after = lexer.next();
    if (after.kind === ']') break;
    if (after.kind !== ',') parser.failExpecting(after, ["','", "']'"]);
  }
  const problem = describeBadCombination(annotations);
  if (problem !== undefined) parser.failAt(open, 'INVALID_VALUE', problem);
  return annotations;
}

function readAnnotation(
  parser: Parser,
  annotations: FactAnnotations,
  name: AnnotationKey,
  value: Token,
): void {
  if (name === 'confidence' || name === 'ttl') {
    if (value.kind !== 'number') parser.failExpecting(value, ['a number']);
    const problem =
      name === 'confidence' ? describeBadConfidence(value.value) : describeBadTtl(value.value);
    if (problem !== undefined) parser.failAt(value, 'INVALID_VALUE', problem);
    if (name === 'confidence') annotations.confidence = value.value as number;
    else annotations.ttlSeconds = value.value as number;
    return;
  }
  if (value.kind !== 'string') {
    parser.fail(
      value,
      `expected a quoted ISO-8601 date-time like "2026-01-01T00:00:00Z" for ${name} but found ${value.kind === 'end' ? 'the end of the input' : `'${String(value.value)}'`}`,
      ['a string'],
    );
  }
  const time = parseTime(value.value as string);
  if (typeof time === 'string') parser.failAt(value, 'INVALID_VALUE', `${name}: ${time}`);
  if (name === 'valid_from') annotations.validFrom = time;
  else annotations.validUntil = time;
}
