import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import type { Fact } from '../language/ast.js';
import { parseProgram, parseQuery, parseRule } from '../language/parser.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base.js';
import { decodeOperation, encodeOperation } from './operation-codec.js';
import { restoreKnowledgeBase } from './snapshot-reader.js';
import type { Operation } from './types.js';

const facts = (text: string): Fact[] =>
  parseProgram(text).filter((c): c is Fact => c.kind === 'fact');

const OPERATIONS: Operation[] = [
  { type: 'teach', id: 'r1', rule: parseRule('reach(?x, ?y) :- link(?x, ?y)'), at: 1, by: 'alice' },
  {
    type: 'teach',
    id: 'r2',
    rule: parseRule('reach(?x, ?y) :- link(?x, ?z), reach(?z, ?y), ?y != "x y"'),
    at: 2,
  },
  {
    type: 'teach',
    id: 'r3',
    rule: parseRule('lonely(?x) :- node(?x), not reach(?x, ?y2), node(?y2), ?x >= 2'),
    at: 2,
  },
  {
    type: 'assert',
    tenant: 'default',
    facts: [
      ...facts(
        'link(a, b). link(b, c). link(c, a). link(c, "x y"). node(1). node(2.5). node(true). node("é😀").',
      ),
      { ...facts('link(d, e).')[0], confidence: 0.5, validUntil: 500 } as Fact,
      { ...facts('link(e, f).')[0], ttlSeconds: 10 } as Fact,
      {
        kind: 'fact',
        atom: {
          predicate: 'link',
          args: [
            { kind: 'const', value: 'z' },
            { kind: 'const', value: 'a' },
          ],
        },
        negated: true,
      },
    ],
    at: 3,
    by: 'bob',
  },
  { type: 'assert', tenant: 'other', facts: facts('link(q, r).'), at: 4 },
  {
    type: 'retract',
    tenant: 'default',
    pattern: {
      predicate: 'link',
      args: [
        { kind: 'var', name: 'x' },
        { kind: 'const', value: 'a' },
      ],
    },
    at: 5,
  },
  { type: 'assert', tenant: 'default', facts: facts('link(c, a).'), at: 6 },
  { type: 'forget-rule', id: 'r3', at: 7 },
  { type: 'drop-tenant', tenant: 'gone', at: 8 },
  { type: 'compact', at: 9 },
];

function build(ops: readonly Operation[]): KnowledgeBase {
  const kb = createKnowledgeBase();
  for (const op of ops) kb.apply(op);
  return kb;
}

const bytesOf = (kb: KnowledgeBase): Uint8Array => Buffer.concat([...kb.writeSnapshot()]);
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    return error instanceof LogicError ? error.code : `not a LogicError: ${String(error)}`;
  }
  return undefined;
};

const QUERIES = ['reach(?x, ?y)', 'link(?x, ?y)', 'node(?n)', 'reach(a, ?y), not link(?y, a)'];

describe('operations', () => {
  it('round-trip through encode/decode for every operation type', () => {
    for (const op of OPERATIONS) expect(decodeOperation(encodeOperation(op))).toEqual(op);
  });

  it('reject garbage, truncation and every single bit flip with INVALID_OPERATION', () => {
    expect(codeOf(() => decodeOperation(new Uint8Array([1, 2, 3])))).toBe('INVALID_OPERATION');
    expect(
      codeOf(() => decodeOperation(new TextEncoder().encode('{"type":"compact","at":1}'))),
    ).toBe('INVALID_OPERATION');
    const bytes = encodeOperation(OPERATIONS[3] as Operation);
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(codeOf(() => decodeOperation(bytes.subarray(0, cut)))).toBe('INVALID_OPERATION');
    }
    for (let bit = 0; bit < bytes.length * 8; bit += 3) {
      const flipped = bytes.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(codeOf(() => decodeOperation(flipped))).toBe('INVALID_OPERATION');
    }
  });

  it('never throw anything but a LogicError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(codeOf(() => decodeOperation(bytes))).toBe('INVALID_OPERATION');
      }),
    );
  });

  it('are deterministic: the same operations give identical snapshots', () => {
    expect(bytesOf(build(OPERATIONS))).toEqual(
      bytesOf(build(OPERATIONS.map((op) => decodeOperation(encodeOperation(op))))),
    );
  });

  it('that are invalid change nothing', () => {
    const kb = build(OPERATIONS);
    const before = bytesOf(kb);
    const bad = facts('link(x, y).');
    const withVariable = {
      kind: 'fact',
      atom: { predicate: 'link', args: [{ kind: 'var', name: 'v' }] },
      negated: false,
    } as const;
    expect(
      codeOf(() =>
        kb.apply({ type: 'assert', tenant: 'default', facts: [...bad, withVariable], at: 10 }),
      ),
    ).toBe('NOT_GROUND');
    expect(
      codeOf(() =>
        kb.apply({
          type: 'assert',
          tenant: 'default',
          facts: [{ ...(bad[0] as Fact), confidence: 2 }],
          at: 10,
        }),
      ),
    ).toBe('INVALID_VALUE');
    expect(
      codeOf(() =>
        kb.apply({
          type: 'teach',
          id: 'bad',
          rule: parseRule('link(?x, ?y) :- link(?x, ?y), not reach(?x, ?y)'),
          at: 10,
        }),
      ),
    ).toBe('UNSTRATIFIABLE');
    expect(bytesOf(kb)).toEqual(before);
  });
});

describe('snapshots', () => {
  it('restore to identical answers and identical re-snapshot bytes', () => {
    const kb = build(OPERATIONS);
    const restored = restoreKnowledgeBase(kb.writeSnapshot());
    for (const tenant of ['default', 'other']) {
      for (const query of QUERIES) {
        for (const asOf of [3, 4, 6, 100, 10_000]) {
          const options = { tenant, asOf };
          expect(restored.ask(parseQuery(query), options), `${tenant} ${query} @${asOf}`).toEqual(
            kb.ask(parseQuery(query), options),
          );
        }
      }
    }
    expect(restored.rules()).toEqual(kb.rules());
    expect([...restored.facts({ asOf: 4 })]).toEqual([...kb.facts({ asOf: 4 })]);
    expect(bytesOf(restored)).toEqual(bytesOf(kb));
    expect(bytesOf(restoreKnowledgeBase(bytesOf(kb)))).toEqual(bytesOf(kb));
  });

  it('of an empty knowledge base restore to an empty one', () => {
    const empty = createKnowledgeBase();
    expect(restoreKnowledgeBase(empty.writeSnapshot()).tenants()).toEqual([]);
  });

  it('reject truncation, bit flips, garbage and unknown versions with INVALID_SNAPSHOT', () => {
    const bytes = bytesOf(build(OPERATIONS));
    for (let cut = 0; cut < bytes.length; cut += 13) {
      expect(
        codeOf(() => restoreKnowledgeBase(bytes.subarray(0, cut))),
        `cut at ${cut}`,
      ).toBe('INVALID_SNAPSHOT');
    }
    for (let bit = 0; bit < bytes.length * 8; bit += 11) {
      const flipped = bytes.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(
        codeOf(() => restoreKnowledgeBase(flipped)),
        `bit ${bit}`,
      ).toBe('INVALID_SNAPSHOT');
    }
    expect(codeOf(() => restoreKnowledgeBase(new TextEncoder().encode('hello\n')))).toBe(
      'INVALID_SNAPSHOT',
    );
    const text = new TextDecoder().decode(bytes).replace('"version":1', '"version":9');
    expect(codeOf(() => restoreKnowledgeBase(new TextEncoder().encode(text)))).toBe(
      'INVALID_SNAPSHOT',
    );
  });
});
