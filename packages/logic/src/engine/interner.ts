import { LogicError } from '../errors.js';
import type { Value } from '../language/ast.js';

/** Constant ↔ id translation as the evaluator sees it. */
export interface ValueTable {
  intern(value: Value): number;
  find(value: Value): number;
  value(id: number): Value;
}

/**
 * Maps every constant of a knowledge base to a small integer so that tuples are Int32Arrays
 * and equality is integer equality. Strings, numbers and booleans live in separate tables
 * because `"1"` and `1` are different values while `1` and `1.0` are the same.
 */
export class Interner implements ValueTable {
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<number, number>();
  private readonly table: Value[] = [false, true];

  /** Id of a value, adding it when new. Booleans are always 0 (false) and 1 (true). */
  intern(value: Value): number {
    if (typeof value === 'string') {
      let id = this.strings.get(value);
      if (id === undefined) {
        id = this.table.length;
        this.table.push(value);
        this.strings.set(value, id);
      }
      return id;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new LogicError(
          'INVALID_VALUE',
          `number ${String(value)} is not a finite number; use a finite decimal or a string`,
        );
      }
      // -0 and 0 are the same constant (Map keys already compare with SameValueZero).
      let id = this.numbers.get(value);
      if (id === undefined) {
        id = this.table.length;
        this.table.push(value === 0 ? 0 : value);
        this.numbers.set(value, id);
      }
      return id;
    }
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new LogicError(
      'INVALID_VALUE',
      `unsupported constant ${String(value)}; use a string, number or boolean`,
    );
  }

  /** Id of a value already known, or -1: lookups never grow the table. */
  find(value: Value): number {
    if (typeof value === 'string') return this.strings.get(value) ?? -1;
    if (typeof value === 'number') return this.numbers.get(value) ?? -1;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return -1;
  }

  value(id: number): Value {
    return this.table[id] as Value;
  }

  get size(): number {
    return this.table.length;
  }

  /**
   * A view for one query: constants the knowledge base has never stored (a query's or a rule's
   * own) get temporary ids above the shared table, so asking never grows the dictionary.
   */
  scoped(): ValueTable {
    const local = new Map<string, number>();
    const extra: Value[] = [];
    const keyOf = (value: Value): string => `${typeof value}:${String(value)}`;
    return {
      find: (value) => {
        const id = this.find(value);
        return id >= 0 ? id : (local.get(keyOf(value)) ?? -1);
      },
      intern: (value) => {
        const id = this.find(value);
        if (id >= 0) return id;
        if (typeof value === 'number' && !Number.isFinite(value)) return this.intern(value);
        const key = keyOf(value === 0 ? 0 : value);
        let own = local.get(key);
        if (own === undefined) {
          own = this.size + extra.length;
          extra.push(value === 0 ? 0 : value);
          local.set(key, own);
        }
        return own;
      },
      value: (id) => (id < this.size ? this.value(id) : (extra[id - this.size] as Value)),
    };
  }
}
