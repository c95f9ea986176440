import * as hashing from './hashing.js';

// Local bindings: calls through an ES module namespace can go through getters under loaders
// such as tsx, which costs a third of the insert time in the hot path.
const mixHash = hashing.mixHash;
const finishHash = hashing.finishHash;
const tableSizeFor = hashing.tableSizeFor;

/** Masks are 32-bit integers: arguments past this column are filtered after the lookup. */
export const MAX_INDEXED_COLUMNS = 30;

/**
 * A hash index of a relation on the columns in a bound-argument mask — the hexastore idea
 * generalised to n-ary predicates: one lazily built index per mask a query actually uses.
 * Each slot holds the newest tuple with a given key; `next` chains older tuples with the same
 * key, so a lookup visits exactly the matching tuples, newest first.
 */
export class MaskIndex {
  readonly columns: readonly number[];
  private readonly arity: number;
  private slots: Int32Array;
  private keys = 0;
  next: Int32Array;

  constructor(arity: number, mask: number, expected: number) {
    this.arity = arity;
    const columns: number[] = [];
    for (let i = 0; i < Math.min(arity, MAX_INDEXED_COLUMNS); i++)
      if (mask & (1 << i)) columns.push(i);
    this.columns = columns;
    this.slots = new Int32Array(tableSizeFor(expected)).fill(-1);
    this.next = new Int32Array(Math.max(16, expected));
  }

  /** Newest tuple whose key columns equal `key` (one value per column, in column order), or -1. */
  first(data: Int32Array, key: Int32Array): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = this.hashKey(key) & mask;
    for (;;) {
      const t = slots[slot] as number;
      if (t < 0 || this.keyEquals(data, t, key)) return t;
      slot = (slot + 1) & mask;
    }
  }

  add(data: Int32Array, t: number): void {
    if (t >= this.next.length) {
      const grown = new Int32Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
    }
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = this.hashTuple(data, t) & mask;
    for (;;) {
      const head = slots[slot] as number;
      if (head < 0) {
        this.next[t] = -1;
        slots[slot] = t;
        this.keys++;
        if (this.keys * 2 > slots.length) this.rehash(data);
        return;
      }
      if (this.sameKey(data, head, t)) {
        this.next[t] = head;
        slots[slot] = t;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private hashKey(key: Int32Array): number {
    let h = 0x2545f491;
    for (let i = 0; i < this.columns.length; i++) h = mixHash(h, key[i] as number);
    return finishHash(h);
  }

  private hashTuple(data: Int32Array, t: number): number {
    const base = t * this.arity;
    let h = 0x2545f491;
    for (const c of this.columns) h = mixHash(h, data[base + c] as number);
    return finishHash(h);
  }

  private keyEquals(data: Int32Array, t: number, key: Int32Array): boolean {
    const base = t * this.arity;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      if (data[base + (columns[i] as number)] !== key[i]) return false;
    }
    return true;
  }

  private sameKey(data: Int32Array, a: number, b: number): boolean {
    const baseA = a * this.arity;
    const baseB = b * this.arity;
    for (const c of this.columns) if (data[baseA + c] !== data[baseB + c]) return false;
    return true;
  }

  private rehash(data: Int32Array): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const head = old[i] as number;
      if (head < 0) continue;
      let slot = this.hashTuple(data, head) & mask;
      while ((slots[slot] as number) >= 0) slot = (slot + 1) & mask;
      slots[slot] = head;
    }
    this.slots = slots;
  }
}
