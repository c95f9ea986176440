import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clause } from './ast.js';
import { factToJson, queryToJson, ruleToJson } from './json-form.js';
import { factFromJson, queryFromJson, ruleFromJson } from './json-read.js';
import { parseFact, parseProgram, parseQuery, parseRule } from './parser.js';
import { printFact, printProgram, printQuery, printRule } from './printer.js';
import { factArbitrary, queryArbitrary, ruleArbitrary } from './test-support/arbitraries.js';

const clauseArbitrary: fc.Arbitrary<Clause> = fc.oneof(factArbitrary, ruleArbitrary);

describe('print then parse', () => {
  it('gives back every fact', () => {
    fc.assert(
      fc.property(factArbitrary, (fact) => {
        expect(parseFact(printFact(fact))).toEqual(fact);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back every rule', () => {
    fc.assert(
      fc.property(ruleArbitrary, (rule) => {
        expect(parseRule(printRule(rule))).toEqual(rule);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back every query, with or without ?-', () => {
    fc.assert(
      fc.property(queryArbitrary, (query) => {
        expect(parseQuery(printQuery(query))).toEqual(query);
        expect(parseQuery(`?- ${printQuery(query)}`)).toEqual(query);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back every program', () => {
    fc.assert(
      fc.property(fc.array(clauseArbitrary, { maxLength: 8 }), (clauses) => {
        expect(parseProgram(printProgram(clauses))).toEqual(clauses);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parse then print', () => {
  it('is a fixed point of the printer', () => {
    fc.assert(
      fc.property(fc.array(clauseArbitrary, { maxLength: 6 }), (clauses) => {
        const text = printProgram(clauses);
        expect(printProgram(parseProgram(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('normalises hand-written text to the canonical form', () => {
    const text = `parent( alice,"bob" ) .  % who
not  plan(acme,enterprise)[ttl = 3600 ,confidence=0.90]
rich(?x):-
   owns(?x, ?n), ?n>=1e6,
   not poor(?x)
raining()
w(1.0, -0, "a\\u{41}")`;
    const printed = printProgram(parseProgram(text));
    expect(printed).toBe(`parent(alice, bob).
not plan(acme, enterprise) [confidence=0.9, ttl=3600].
rich(?x) :- owns(?x, ?n), ?n >= 1000000, not poor(?x).
raining.
w(1, 0, aA).
`);
    expect(printProgram(parseProgram(printed))).toBe(printed);
  });
});

/** Re-spaces printed text outside strings: line breaks and comments after "," "(" and ":-". */
function respace(text: string, choices: readonly number[]): string {
  const separators = [' ', '', '\t', '\n  ', ' % note, with (parens)\n', '  # and "quotes\n\t'];
  let out = '';
  let inString = false;
  let choice = 0;
  const next = (): string =>
    separators[(choices[choice++ % choices.length] ?? 0) % separators.length] ?? ' ';
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (inString) {
      out += character;
      if (character === '\\') out += text[++index] ?? '';
      else if (character === '"') inString = false;
    } else if (character === '"') {
      inString = true;
      out += character;
    } else if (character === ',' || character === '(' || text.startsWith(':-', index)) {
      const token = character === ':' ? ':-' : character;
      index += token.length - 1;
      if (text[index + 1] === ' ') index++;
      out += `${token}${next()}`;
    } else {
      out += character;
    }
  }
  return out;
}

describe('hand-formatted text', () => {
  it('re-spaces outside strings only', () => {
    expect(respace('q(?x) :- r(?x, "a, (b"), s.\n', [3])).toBe(
      'q(\n  ?x) :-\n  r(\n  ?x,\n  "a, (b"),\n  s.\n',
    );
  });

  it('parses to the same clauses and prints back to the canonical form', () => {
    fc.assert(
      fc.property(
        fc.array(clauseArbitrary, { maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        (clauses, choices) => {
          const canonical = printProgram(clauses);
          const messy = respace(canonical, choices);
          expect(parseProgram(messy)).toEqual(clauses);
          expect(printProgram(parseProgram(messy))).toBe(canonical);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the JSON form', () => {
  it('round-trips facts, rules and queries', () => {
    fc.assert(
      fc.property(factArbitrary, ruleArbitrary, queryArbitrary, (fact, rule, query) => {
        expect(factFromJson(factToJson(fact))).toEqual(fact);
        expect(ruleFromJson(ruleToJson(rule))).toEqual(rule);
        expect(queryFromJson(queryToJson(query))).toEqual(query);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON text', () => {
    fc.assert(
      fc.property(factArbitrary, queryArbitrary, (fact, query) => {
        expect(factFromJson(JSON.parse(JSON.stringify(factToJson(fact))))).toEqual(fact);
        expect(queryFromJson(JSON.parse(JSON.stringify(queryToJson(query))))).toEqual(query);
      }),
      { numRuns: 200 },
    );
  });
});
