import type { ComparisonOperator, Value } from '../language/ast.js';

// JavaScript's `<` on strings compares UTF-16 code units; the contract orders strings by code
// point. Shifting surrogates above the rest of the BMP turns one order into the other.
function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/**
 * An ordering comparison between two constants: numbers numerically, strings by code point,
 * anything else (mixed types, booleans) is simply false. Equality is decided on interned ids
 * by the caller and never reaches here.
 */
export function compareOrdered(operator: ComparisonOperator, left: Value, right: Value): boolean {
  let order: number;
  if (typeof left === 'number' && typeof right === 'number') order = left - right;
  else if (typeof left === 'string' && typeof right === 'string')
    order = compareCodePoints(left, right);
  else return false;
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}
