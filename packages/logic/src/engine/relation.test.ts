import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Relation } from './relation.js';

describe('Relation', () => {
  it('behaves as a set of tuples in insertion order, with exact mask indexes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 6 }),
            fc.integer({ min: 0, max: 6 }),
            fc.integer({ min: 0, max: 3 }),
          ),
          { maxLength: 300 },
        ),
        (tuples) => {
          const relation = new Relation(3, 1);
          const early = relation.index(0b101);
          const model: string[] = [];
          for (const t of tuples) {
            const key = t.join(',');
            const added = relation.insert(Int32Array.from(t));
            expect(added >= 0).toBe(!model.includes(key));
            if (added >= 0) {
              expect(added).toBe(model.length);
              model.push(key);
            }
          }
          expect(relation.size).toBe(model.length);
          model.forEach((key, t) => {
            expect(relation.tuple(t).join(',')).toBe(key);
            expect(relation.find(Int32Array.from(key.split(',').map(Number)))).toBe(t);
          });
          const late = relation.index(0b010);
          for (const [index, columns] of [
            [early, [0, 2]],
            [late, [1]],
          ] as const) {
            for (let a = 0; a <= 6; a++) {
              const key = Int32Array.from(columns.map((c) => (c === 2 ? a % 4 : a)));
              const chain: number[] = [];
              for (let t = index.first(relation.data, key); t >= 0; t = index.next[t] as number)
                chain.push(t);
              const expected = model
                .map((k, t) => ({ t, values: k.split(',').map(Number) }))
                .filter(({ values }) => columns.every((c, i) => values[c] === key[i]))
                .map(({ t }) => t)
                .reverse();
              expect(chain).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds the empty tuple at most once for arity 0', () => {
    const relation = new Relation(0);
    expect(relation.find(new Int32Array(0))).toBe(-1);
    expect(relation.insert(new Int32Array(0))).toBe(0);
    expect(relation.insert(new Int32Array(0))).toBe(-1);
    expect(relation.size).toBe(1);
  });
});
