/**
 * A FIFO of byte pieces that can hand out exactly n bytes. Pieces are only copied when a
 * request spans several of them, so streaming many small writes stays linear.
 */
export class ByteQueue {
  #pieces: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#pieces.push(
      Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
    );
    this.#length += bytes.length;
  }

  /** Removes and returns the first `count` bytes (count ≤ length). */
  take(count: number): Buffer {
    const first = this.#pieces[0];
    if (first !== undefined && first.length >= count) {
      this.#length -= count;
      if (first.length === count) this.#pieces.shift();
      else this.#pieces[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const piece = this.#pieces[0];
      if (piece === undefined) throw new RangeError('ByteQueue.take past the end');
      const used = Math.min(piece.length, count - filled);
      piece.copy(out, filled, 0, used);
      filled += used;
      if (used === piece.length) this.#pieces.shift();
      else this.#pieces[0] = piece.subarray(used);
    }
    this.#length -= count;
    return out;
  }

  takeAll(): Buffer {
    return this.take(this.#length);
  }
}
