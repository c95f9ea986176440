// The parser on hostile input: whatever the text, it returns or throws a LogicError, and its
// work is linear in the input.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import type { Clause } from './ast.js';
import { factFromJson, queryFromJson, ruleFromJson } from './json-read.js';
import { parseFact, parseProgram, parseQuery, parseRule } from './parser.js';
import { printProgram } from './printer.js';
import { factArbitrary, ruleArbitrary } from './test-support/arbitraries.js';

const parsers = [parseProgram, parseFact, parseRule, parseQuery];

/** Runs every parser on `text`; anything but success or a LogicError fails the test. */
function parseAll(text: string): void {
  for (const parse of parsers) {
    try {
      parse(text);
    } catch (error) {
      if (!(error instanceof LogicError)) throw error;
    }
  }
}

const programText = fc
  .array(fc.oneof(factArbitrary, ruleArbitrary) as fc.Arbitrary<Clause>, {
    minLength: 1,
    maxLength: 4,
  })
  .map(printProgram);

const fragment = fc.constantFrom(
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  ':-',
  '?-',
  '?',
  'not ',
  '"',
  '\\',
  '\\u{',
  '%',
  '#',
  '\n',
  '\r',
  '=',
  '!=',
  '<=',
  '1e999',
  '-',
  'NaN',
  'Infinity',
  '1e-400',
  '0x1F',
  '9'.repeat(500),
  '\u0000',
  '\uD800',
  '\uDC00',
  '\uFEFF',
  'é',
  '😀',
  ' ',
  'true',
  '[ttl=',
  'valid_from="',
);

describe('parser fuzzing', () => {
  it('survives random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => parseAll(text)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('')),
        (text) => parseAll(text),
      ),
      { numRuns: 500 },
    );
  });

  it('survives inserted, deleted and replaced characters in valid programs', () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace'),
      text: fc.oneof(fragment, fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })),
    });
    fc.assert(
      fc.property(
        programText,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (program, mutations) => {
          let text = program;
          for (const { at, kind, text: piece } of mutations) {
            const index = at % (text.length + 1);
            const skip = kind === 'insert' ? 0 : 1;
            text =
              text.slice(0, index) + (kind === 'delete' ? '' : piece) + text.slice(index + skip);
          }
          parseAll(text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('survives truncation of a program at every offset', () => {
    fc.assert(
      fc.property(programText, (program) => {
        for (let end = 0; end <= program.length; end++) parseAll(program.slice(0, end));
      }),
      { numRuns: 40 },
    );
  });

  it('reports unbalanced parentheses as syntax errors', () => {
    for (const text of ['p((a)', 'p(a))', 'p(a', ')', 'p(a) :- q((?x))', '(((((((((']) {
      expect(() => parseProgram(text)).toThrow(LogicError);
    }
  });

  it('handles deep nesting and long inputs without recursion', () => {
    const opens = '('.repeat(200_000);
    expect(() => parseProgram(`p${opens}`)).toThrow(/expected a term/);
    const brackets = `p [${'['.repeat(200_000)}`;
    expect(() => parseProgram(brackets)).toThrow(LogicError);
    const longLine = `p(${'a,'.repeat(100_000)}a)`;
    expect(() => parseProgram(longLine)).toThrow(/at most 64 arguments/);
    expect(parseProgram('p(a).'.repeat(100_000))).toHaveLength(100_000);
    expect(() => parseProgram('p(a).'.repeat(100_001))).toThrow(/at most 100000 clauses/);
  });

  it('survives arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue({ maxDepth: 4 }), (value, nested) => {
        for (const read of [factFromJson, ruleFromJson, queryFromJson]) {
          for (const input of [
            value,
            { predicate: 'p', args: [nested] },
            { body: [nested] },
            { head: nested, body: nested },
          ]) {
            try {
              read(input);
            } catch (error) {
              if (!(error instanceof LogicError)) throw error;
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
