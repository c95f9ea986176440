// Integer hashing shared by the relation tables. Tuples are hashed column by column with a
// multiply-xorshift mix so that open addressing with linear probing stays short.

export function mixHash(hash: number, value: number): number {
  let h = Math.imul(hash ^ value, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca77);
}

export function finishHash(hash: number): number {
  let h = hash ^ (hash >>> 13);
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Smallest power of two ≥ 2 * n (load factor ≤ 0.5), at least 16. */
export function tableSizeFor(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}
