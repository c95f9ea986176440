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

  /** Removes and returns the first `count` bytes (count ≤ length), copying only if they span pieces. */
  take(count: number): Buffer {
    const parts = this.takeParts(count);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, count);
  }

  /** Removes the first `count` bytes and returns them as views of the stored pieces (no copy). */
  takeParts(count: number): Buffer[] {
    if (count > this.#length) throw new RangeError('ByteQueue.take past the end');
    const out: Buffer[] = [];
    let needed = count;
    while (needed > 0) {
      const piece = this.#pieces[0] as Buffer;
      if (piece.length <= needed) {
        out.push(piece);
        this.#pieces.shift();
        needed -= piece.length;
      } else {
        out.push(piece.subarray(0, needed));
        this.#pieces[0] = piece.subarray(needed);
        needed = 0;
      }
    }
    this.#length -= count;
    if (out.length === 0) out.push(Buffer.alloc(0));
    return out;
  }

  /** A copy of everything queued, left in place. */
  peek(): Buffer {
    return Buffer.concat(this.#pieces, this.#length);
  }
}
