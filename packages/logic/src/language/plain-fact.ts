// Fast path for the most common clause of bulk loads: a plain fact on one line, like
// `edge(n1, n2).`, with bare-name, small-integer or boolean arguments. It reads the clause
// straight from char codes, without token objects. It never reports an error: on anything
// unusual (quotes, variables, comments, line breaks, spaces before `(`, limits, reserved
// words, annotations) it gives up and the general parser reads the clause from the same place,
// so every error keeps its exact position and message.

import type { Fact, Term } from './ast.js';
import type { LanguageLimits } from './limits.js';

/** Where `scanPlainFact` puts its result, reused across clauses. */
export interface PlainFactSink {
  fact: Fact | undefined;
  /** The previous predicate name: bulk loads repeat one, so its string is shared. */
  predicate: string;
  /** Arguments as they are read; copied out at the exact size (a growing array wastes space). */
  readonly terms: Term[];
}

/** Longest digit run read here: 15 digits always convert to a double exactly. */
const maxPlainDigits = 15;

/**
 * Reads a plain fact starting at `start` (its first character, after any space); returns the
 * offset after it (after the `.`, or at the line break or end that ends it) with the fact in
 * `sink`, or -1 to let the general parser read it.
 */
export function scanPlainFact(
  text: string,
  start: number,
  limits: LanguageLimits,
  sink: PlainFactSink,
): number {
  const length = text.length;
  let at = start;
  if (!isIdentifierStart(text.charCodeAt(at))) return -1;
  at++;
  while (at < length && isIdentifierPart(text.charCodeAt(at))) at++;
  const nameLength = at - start;
  if (nameLength > limits.maxIdentifierLength || nameLength > limits.maxStringLength) return -1;
  if (text.charCodeAt(at) !== 40) return -1;
  let predicate = sink.predicate;
  if (!sameText(text, start, predicate, nameLength)) {
    predicate = text.slice(start, at);
    if (predicate === 'not' || predicate === 'true' || predicate === 'false') return -1;
    sink.predicate = predicate;
  }
  at++;
  const args = sink.terms;
  args.length = 0;
  for (;;) {
    at = skipBlanks(text, at);
    if (args.length >= limits.maxArity) return -1;
    const code = text.charCodeAt(at);
    const argStart = at;
    if (isIdentifierStart(code)) {
      at++;
      while (at < length && isIdentifierPart(text.charCodeAt(at))) at++;
      if (at - argStart > limits.maxStringLength) return -1;
      const name = text.slice(argStart, at);
      if (name === 'true') args.push({ kind: 'const', value: true });
      else if (name === 'false') args.push({ kind: 'const', value: false });
      else if (name === 'not') return -1;
      else args.push({ kind: 'const', value: name });
    } else {
      if (code === 45) at++;
      const digitsStart = at;
      while (at < length && isDigit(text.charCodeAt(at))) at++;
      const digits = at - digitsStart;
      if (digits === 0 || digits > maxPlainDigits) return -1;
      // `.`, exponents and names glued to digits take the general number reader.
      const after = text.charCodeAt(at);
      if (after === 46 || isIdentifierPart(after)) return -1;
      const value = Number(text.slice(argStart, at));
      args.push({ kind: 'const', value: value === 0 ? 0 : value });
    }
    at = skipBlanks(text, at);
    const separator = text.charCodeAt(at);
    at++;
    if (separator === 41) break;
    if (separator !== 44) return -1;
  }
  at = skipBlanks(text, at);
  if (at < length) {
    const end = text.charCodeAt(at);
    if (end === 46) at++;
    else if (end !== 10) return -1;
  }
  sink.fact = { kind: 'fact', atom: { predicate, args: args.slice() }, negated: false };
  return at;
}

function skipBlanks(text: string, from: number): number {
  let at = from;
  for (;;) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9 && code !== 13) return at;
    at++;
  }
}

function sameText(text: string, start: number, name: string, length: number): boolean {
  if (name.length !== length) return false;
  for (let i = 0; i < length; i++)
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  return true;
}

// Local copies of identifiers.ts: imported functions called per character go through module
// getters under tsx, a measurable cost on this path. Keep them in step with identifiers.ts.
function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code) || code === 45;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
