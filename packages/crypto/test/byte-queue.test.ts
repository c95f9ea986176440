import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../src/byte-queue.js';

describe('ByteQueue', () => {
  it('hands out exactly the bytes pushed, in order, whatever the piece and take sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 20 }),
        (pieces, takes) => {
          const queue = new ByteQueue();
          for (const piece of pieces) queue.push(piece);
          const all = Buffer.concat(pieces);
          expect(queue.length).toBe(all.length);
          expect(queue.peek().equals(all)).toBe(true);
          let offset = 0;
          for (const size of takes) {
            const count = Math.min(size, queue.length);
            const parts = queue.takeParts(count);
            expect(Buffer.concat(parts).equals(all.subarray(offset, offset + count))).toBe(true);
            offset += count;
            expect(queue.length).toBe(all.length - offset);
          }
          expect(queue.take(queue.length).equals(all.subarray(offset))).toBe(true);
        },
      ),
    );
  });

  it('refuses to take more than it holds', () => {
    const queue = new ByteQueue();
    queue.push(Buffer.from('abc'));
    expect(() => queue.take(4)).toThrow(RangeError);
  });
});
