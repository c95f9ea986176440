import { LogicError } from '../errors.js';
import type { Value } from '../language/ast.js';

/**
 * Maps every constant of a knowledge base to a small integer so that tuples are Int32Arrays
 * and equality is integer equality. Strings, numbers and booleans live in separate tables
 * because `"1"` and `1` are different values while `1` and `1.0` are the same.
 */
export class Interner {
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
}
