import { describe, expect, it } from 'vitest';
import { assertQuerySafe, assertRuleSafe } from '../../src/index.js';
import { AnswerFingerprint, createAnswerSet, tupleKey } from './answer-set.js';
import {
  graphFactsText,
  hasCycle,
  randomDirectedGraph,
  randomRecursiveTree,
  reachableFrom,
} from './graph-generators.js';
import { parseValueText, prologValue, quoteAtom } from './prolog-syntax.js';
import { generateRandomProgram } from './random-program.js';
import { createSeededRandom } from './seeded-random.js';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 20 }, () => random.integer(0, 1_000));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('stays inside the requested range', () => {
    const random = createSeededRandom(1);
    const values = Array.from({ length: 2_000 }, () => random.integer(-2, 3));
    expect(new Set(values)).toEqual(new Set([-2, -1, 0, 1, 2, 3]));
  });
});

describe('graph generators', () => {
  it('makes the requested number of distinct edges, without self-loops, with a cycle', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const graph = randomDirectedGraph({ nodes: 10, edges: 9, seed });
      const keys = new Set(graph.edges.map(([from, to]) => `${from}>${to}`));
      expect(keys.size).toBe(graph.edges.length);
      expect(graph.edges.length).toBeGreaterThanOrEqual(9);
      expect(graph.edges.every(([from, to]) => from !== to)).toBe(true);
      expect(hasCycle(graph)).toBe(true);
    }
  });

  it('is deterministic for a seed', () => {
    const a = randomDirectedGraph({ nodes: 50, edges: 120, seed: 3 });
    const b = randomDirectedGraph({ nodes: 50, edges: 120, seed: 3 });
    expect(graphFactsText(a, 'edge')).toBe(graphFactsText(b, 'edge'));
  });

  it('builds trees where every node but the root has one earlier parent', () => {
    const tree = randomRecursiveTree({ nodes: 200, seed: 4 });
    expect(tree.edges).toHaveLength(199);
    expect(tree.edges.every(([parent, child]) => parent < child)).toBe(true);
    expect(hasCycle(tree)).toBe(false);
    expect(reachableFrom(tree, 0).size).toBe(199);
  });
});

describe('generateRandomProgram', () => {
  const programs = Array.from({ length: 200 }, (_, index) => generateRandomProgram(index));

  it('generates range-restricted rules and queries over arities 1 to 3', () => {
    for (const { program, queries } of programs) {
      for (const clause of program) {
        if (clause.kind === 'rule') expect(() => assertRuleSafe(clause)).not.toThrow();
        const atom = clause.kind === 'rule' ? clause.head : clause.atom;
        expect(atom.args.length).toBeGreaterThanOrEqual(1);
        expect(atom.args.length).toBeLessThanOrEqual(3);
      }
      for (const query of queries) expect(() => assertQuerySafe(query)).not.toThrow();
    }
  });

  it('covers recursion, negation, comparisons and bound query arguments', () => {
    const rules = programs.flatMap(({ program }) => program.filter((c) => c.kind === 'rule'));
    const recursive = rules.filter((rule) =>
      rule.body.some(
        (item) => item.kind === 'literal' && item.atom.predicate === rule.head.predicate,
      ),
    );
    const negating = rules.filter((rule) =>
      rule.body.some((item) => item.kind === 'literal' && item.negated),
    );
    const comparing = rules.filter((rule) => rule.body.some((item) => item.kind === 'compare'));
    const boundQueries = programs
      .flatMap(({ queries }) => queries)
      .filter((query) =>
        query.body.some(
          (item) => item.kind === 'literal' && item.atom.args.some((arg) => arg.kind === 'const'),
        ),
      );
    expect(recursive.length).toBeGreaterThan(50);
    expect(negating.length).toBeGreaterThan(50);
    expect(comparing.length).toBeGreaterThan(50);
    expect(boundQueries.length).toBeGreaterThan(50);
  });

  it('is deterministic for a seed', () => {
    expect(generateRandomProgram(42)).toEqual(generateRandomProgram(42));
  });
});

describe('answer sets', () => {
  it('keep "1", 1 and true apart and treat 1.0 as 1', () => {
    expect(createAnswerSet([['1'], [1], [1.0], [true]]).keys).toHaveLength(3);
    expect(tupleKey([1.0])).toBe(tupleKey([1]));
  });

  it('fingerprint sets independently of order', () => {
    const forward = new AnswerFingerprint();
    const backward = new AnswerFingerprint();
    const tuples = [
      ['a', 'b'],
      ['b', 'a'],
      ['c', 'c'],
    ];
    for (const tuple of tuples) forward.addTuple(tuple);
    for (const tuple of [...tuples].reverse()) backward.addTuple(tuple);
    expect(forward.digest()).toBe(backward.digest());
    backward.addTuple(['d', 'd']);
    expect(forward.digest()).not.toBe(backward.digest());
  });
});

describe('Prolog spelling', () => {
  it('quotes any text as an atom', () => {
    expect(quoteAtom("it's")).toBe("'it\\'s'");
    expect(quoteAtom('a\\b')).toBe("'a\\\\b'");
    expect(quoteAtom('line\nbreak')).toBe("'line\\xa\\break'");
  });

  it('writes integral doubles as integers and others as floats', () => {
    expect(prologValue(1.0)).toBe('1');
    expect(prologValue(-0)).toBe('0');
    expect(prologValue(2.5)).toBe('2.5e+0');
    expect(prologValue(1e21)).toBe('1.0e+21');
    expect(prologValue(true)).toBe("'$bool'(true)");
    expect(() => prologValue(Number.NaN)).toThrow(RangeError);
  });

  it('reads printed values back', () => {
    expect(parseValueText('n:1.0e21')).toBe(1e21);
    expect(parseValueText('s:104,105')).toBe('hi');
    expect(parseValueText('s:')).toBe('');
    expect(parseValueText('b:false')).toBe(false);
    expect(() => parseValueText('x:1')).toThrow(/unrecognised/);
  });
});
