// Error positions on generated input: a stray character inserted anywhere outside a string
// in a valid printed program is reported at its own line and column.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogicSyntaxError } from '../errors.js';
import type { Clause } from './ast.js';
import { parseProgram } from './parser.js';
import { printProgram } from './printer.js';
import { factArbitrary, ruleArbitrary } from './test-support/arbitraries.js';

/**
 * Offsets where a character lands outside quoted strings and outside annotations (where it
 * would split a key, which is then reported as an unknown annotation).
 */
function offsetsOutsideStrings(text: string): number[] {
  const offsets: number[] = [];
  let inString = false;
  let inAnnotations = false;
  for (let index = 0; index <= text.length; index++) {
    if (!inString && !inAnnotations) offsets.push(index);
    const character = text[index];
    if (inString && character === '\\') index++;
    else if (character === '"') inString = !inString;
    else if (!inString && character === '[') inAnnotations = true;
    else if (!inString && character === ']') inAnnotations = false;
  }
  // Splitting a number can turn it into a malformed number reported at its start; table
  // tests in parser.test.ts cover that, so those offsets are left out here.
  const insideNumbers = new Set<number>();
  for (const match of text.matchAll(/(?<![A-Za-z0-9_.-])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    for (let inside = match.index + 1; inside < match.index + match[0].length; inside++) {
      insideNumbers.add(inside);
    }
  }
  return offsets.filter((offset) => !insideNumbers.has(offset));
}

function lineAndColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n');
  return [before.length, (before[before.length - 1] as string).length + 1];
}

describe('syntax error positions', () => {
  it('point at a stray character inserted into a valid program', () => {
    const clauses = fc.array(fc.oneof(factArbitrary, ruleArbitrary) as fc.Arbitrary<Clause>, {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        clauses,
        fc.nat(),
        fc.constantFrom('@', '$', '^', '{', '\u0007'),
        (program, at, stray) => {
          const text = printProgram(program);
          const offsets = offsetsOutsideStrings(text);
          const offset = offsets[at % offsets.length] as number;
          const broken = text.slice(0, offset) + stray + text.slice(offset);
          let error: unknown;
          try {
            parseProgram(broken);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(LogicSyntaxError);
          const { line, column } = error as LogicSyntaxError;
          const [strayLine, strayColumn] = lineAndColumn(broken, offset);
          // A stray character splitting ":-" or "!=" is reported at the character before it.
          const before = text[offset - 1] ?? '';
          const splitsToken = before === ':' || before === '!';
          expect([line, column]).toEqual([strayLine, splitsToken ? strayColumn - 1 : strayColumn]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
