// Spelling Cairn values and variables as Prolog terms, and reading answer lines back.
import type { Value } from '../../src/language/ast.js';

/** A quoted Prolog atom: every constant and functor is quoted, so any text is safe. */
export function quoteAtom(text: string): string {
  let quoted = "'";
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (character === "'") quoted += "\\'";
    else if (character === '\\') quoted += '\\\\';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16)}\\`;
    else quoted += character;
  }
  return `${quoted}'`;
}

/**
 * A Cairn value as a Prolog term. Numbers are doubles in Cairn (1 == 1.0), so integral values
 * that a double holds exactly are written as Prolog integers and all others as floats: two
 * values are then equal in Cairn exactly when their Prolog terms are identical (`==`).
 */
export function prologValue(value: Value): string {
  if (typeof value === 'boolean') return `'$bool'(${value})`;
  if (typeof value === 'string') return quoteAtom(value);
  if (!Number.isFinite(value)) throw new RangeError(`${value} has no Cairn or Prolog form`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    return String(value === 0 ? 0 : value);
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent}`;
}

/** Prolog variable for a Cairn variable name (`?x` → `V_x`). */
export function prologVariable(name: string, index: number): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? `V_${name}` : `V${index}_`;
}

/**
 * Decodes one value printed by `cairn_value_text` of the runner: `n:<number>`, `b:<bool>` or
 * `s:<comma-separated code points>` (code points keep any text intact through stdout).
 */
export function parseValueText(text: string): Value {
  const body = text.slice(2);
  if (text.startsWith('n:')) {
    const number = Number(body);
    if (body === '' || Number.isNaN(number)) throw new Error(`bad number from swipl: ${text}`);
    return number;
  }
  if (text.startsWith('b:')) {
    if (body !== 'true' && body !== 'false') throw new Error(`bad boolean from swipl: ${text}`);
    return body === 'true';
  }
  if (text.startsWith('s:')) {
    return body === '' ? '' : String.fromCodePoint(...body.split(',').map(Number));
  }
  throw new Error(`unrecognised value from swipl: ${text}`);
}
