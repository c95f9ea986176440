import { Readable, type Transform } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  createDecryptStream,
  createEncryptStream,
  createKeyRing,
  decryptFromBuffer,
  encryptToBuffer,
  generateMasterKey,
  readStreamKeyId,
  STREAM_CHUNK_OVERHEAD,
  STREAM_HEADER_BYTES,
} from '../src/index.js';

const key = generateMasterKey();
const ad = Buffer.from('snapshot:db-1:seq-99');

/** Feeds `pieces` through `transform`; returns everything it emitted and the error it ended with. */
function run(
  transform: Transform,
  pieces: readonly Uint8Array[],
): Promise<{ output: Buffer; error: unknown }> {
  // 'data' events rather than async iteration: an iterator drops buffered output on error, and
  // these tests need to see exactly what was emitted before the failure.
  const emitted: Buffer[] = [];
  return new Promise((resolve) => {
    transform.on('data', (chunk: Buffer) => emitted.push(chunk));
    transform.on('end', () => resolve({ output: Buffer.concat(emitted), error: undefined }));
    transform.on('error', (error) => resolve({ output: Buffer.concat(emitted), error }));
    Readable.from(pieces.map((piece) => Buffer.from(piece))).pipe(transform);
  });
}

function split(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(data.subarray(start, point));
    start = point;
  }
  pieces.push(data.subarray(start));
  return pieces;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

/** Chunk frames of an encrypted buffer (header excluded). */
function frames(encrypted: Uint8Array, chunkSize: number): Buffer[] {
  const body = Buffer.from(encrypted).subarray(STREAM_HEADER_BYTES);
  const size = chunkSize + STREAM_CHUNK_OVERHEAD;
  const out: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size)
    out.push(body.subarray(offset, offset + size));
  return out;
}

describe('encryptToBuffer / decryptFromBuffer', () => {
  it('round-trips random data at random chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 700 }),
        (data, chunkSize) => {
          const encrypted = encryptToBuffer(key, data, { chunkSize, associatedData: ad });
          const chunks = Math.max(1, Math.ceil(data.length / chunkSize));
          expect(encrypted.length).toBe(
            STREAM_HEADER_BYTES + data.length + chunks * STREAM_CHUNK_OVERHEAD,
          );
          expect(
            Buffer.from(decryptFromBuffer(key, encrypted, { associatedData: ad })).equals(
              Buffer.from(data),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails on a random bit flip or truncation of random streams (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 64 }),
        fc.nat(),
        fc.nat(),
        (data, chunkSize, flipAt, cutAt) => {
          const encrypted = Buffer.from(encryptToBuffer(key, data, { chunkSize }));
          const flipped = Buffer.from(encrypted);
          const bit = flipAt % (flipped.length * 8);
          flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          expect(codeOf(() => decryptFromBuffer(key, flipped))).toBeDefined();
          const cut = encrypted.subarray(0, cutAt % encrypted.length);
          expect(codeOf(() => decryptFromBuffer(key, cut))).toBeDefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('still writes one empty final chunk for empty input', () => {
    const encrypted = encryptToBuffer(key, new Uint8Array(0));
    expect(encrypted.length).toBe(STREAM_HEADER_BYTES + STREAM_CHUNK_OVERHEAD);
    expect(decryptFromBuffer(key, encrypted).length).toBe(0);
    expect(codeOf(() => decryptFromBuffer(key, encrypted.subarray(0, STREAM_HEADER_BYTES)))).toBe(
      'TRUNCATED',
    );
  });

  it('records the key id and opens with a key ring', () => {
    const old = generateMasterKey();
    const encrypted = encryptToBuffer(old, Buffer.from('rotation'));
    expect(readStreamKeyId(encrypted.subarray(0, STREAM_HEADER_BYTES))).toBe(old.id);
    const ring = createKeyRing(key, [old]);
    expect(Buffer.from(decryptFromBuffer(ring, encrypted)).toString()).toBe('rotation');
    expect(codeOf(() => decryptFromBuffer(key, encrypted))).toBe('UNKNOWN_KEY_ID');
  });

  it('fails on wrong associated data and on bad chunk sizes', () => {
    const encrypted = encryptToBuffer(key, Buffer.from('abc'), { associatedData: ad });
    expect(codeOf(() => decryptFromBuffer(key, encrypted))).toBe('DECRYPTION_FAILED');
    for (const chunkSize of [0, -1, 1.5, 16 * 1024 * 1024 + 1]) {
      expect(codeOf(() => encryptToBuffer(key, Buffer.alloc(1), { chunkSize }))).toBe(
        'INVALID_ARGUMENT',
      );
    }
    const forged = Buffer.from(encrypted);
    forged.writeUInt32BE(0, STREAM_HEADER_BYTES - 4);
    expect(codeOf(() => decryptFromBuffer(key, forged))).toBe('INVALID_FORMAT');
  });

  describe('a small multi-chunk stream', () => {
    const chunkSize = 8;
    const data = Buffer.from('nineteen bytes long');
    const encrypted = Buffer.from(encryptToBuffer(key, data, { chunkSize, associatedData: ad }));
    const open = (bytes: Uint8Array) => () => decryptFromBuffer(key, bytes, { associatedData: ad });

    it('fails with a CryptoError on every single-bit flip', () => {
      for (let bit = 0; bit < encrypted.length * 8; bit++) {
        const tampered = Buffer.from(encrypted);
        tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(codeOf(open(tampered))).toMatch(
          /^(DECRYPTION_FAILED|UNKNOWN_KEY_ID|UNSUPPORTED_VERSION|INVALID_FORMAT)$/,
        );
      }
    });

    it('fails on every truncation, with TRUNCATED at chunk boundaries', () => {
      const boundaries = new Set([0, 1, 2].map((n) => STREAM_HEADER_BYTES + n * (chunkSize + 16)));
      for (let length = 0; length < encrypted.length; length++) {
        const code = codeOf(open(encrypted.subarray(0, length)));
        expect(code).toBeDefined();
        if (length < STREAM_HEADER_BYTES || boundaries.has(length)) expect(code).toBe('TRUNCATED');
      }
    });

    it('fails when chunks are reordered, dropped or duplicated, or bytes appended', () => {
      const header = encrypted.subarray(0, STREAM_HEADER_BYTES);
      const [c0, c1, c2] = frames(encrypted, chunkSize) as [Buffer, Buffer, Buffer];
      const variants = [
        [c1, c0, c2],
        [c0, c2],
        [c1, c2],
        [c0, c1],
        [c0, c0, c1, c2],
        [c0, c1, c1, c2],
        [c0, c1, c2, c2],
        [c2, c1, c0],
      ];
      for (const variant of variants) {
        expect(codeOf(open(Buffer.concat([header, ...variant])))).toMatch(
          /^(DECRYPTION_FAILED|TRUNCATED)$/,
        );
      }
      expect(codeOf(open(Buffer.concat([header, c0, c1])))).toBe('TRUNCATED');
      expect(codeOf(open(Buffer.concat([encrypted, Buffer.from([0])])))).toMatch(
        /^(DECRYPTION_FAILED|INVALID_FORMAT)$/,
      );
    });

    it('names appended bytes after a full-size final chunk', () => {
      const exact = Buffer.from(encryptToBuffer(key, Buffer.alloc(16, 1), { chunkSize }));
      expect(codeOf(() => decryptFromBuffer(key, Buffer.concat([exact, Buffer.alloc(16)])))).toBe(
        'INVALID_FORMAT',
      );
    });

    it('does not accept a chunk spliced in from another stream under the same key', () => {
      const other = Buffer.from(encryptToBuffer(key, data, { chunkSize, associatedData: ad }));
      const spliced = Buffer.concat([
        encrypted.subarray(0, STREAM_HEADER_BYTES),
        frames(encrypted, chunkSize)[0] as Buffer,
        frames(other, chunkSize)[1] as Buffer,
        frames(encrypted, chunkSize)[2] as Buffer,
      ]);
      expect(codeOf(open(spliced))).toBe('DECRYPTION_FAILED');
    });
  });
});

describe('createEncryptStream / createDecryptStream', () => {
  it('round-trips data written in arbitrary pieces, interoperating with the buffer functions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (data, chunkSize, cutsIn, cutsOut) => {
          const encrypted = await run(
            createEncryptStream(key, { chunkSize, associatedData: ad }),
            split(data, cutsIn),
          );
          expect(encrypted.error).toBeUndefined();
          expect(
            Buffer.from(decryptFromBuffer(key, encrypted.output, { associatedData: ad })).equals(
              Buffer.from(data),
            ),
          ).toBe(true);
          const decrypted = await run(
            createDecryptStream(key, { associatedData: ad }),
            split(encrypted.output, cutsOut),
          );
          expect(decrypted.error).toBeUndefined();
          expect(decrypted.output.equals(Buffer.from(data))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles an empty input stream', async () => {
    const encrypted = await run(createEncryptStream(key), []);
    expect(encrypted.output.length).toBe(STREAM_HEADER_BYTES + STREAM_CHUNK_OVERHEAD);
    const decrypted = await run(createDecryptStream(key), [encrypted.output]);
    expect(decrypted.error).toBeUndefined();
    expect(decrypted.output.length).toBe(0);
  });

  it('emits no plaintext of a chunk before it is authenticated', async () => {
    const chunkSize = 10;
    const data = Buffer.from('0123456789abcdefghijKLMNOPQRSTuvwxy');
    const encrypted = Buffer.from(encryptToBuffer(key, data, { chunkSize }));
    for (let chunk = 0; chunk < 4; chunk++) {
      const tampered = Buffer.from(encrypted);
      const at = STREAM_HEADER_BYTES + chunk * (chunkSize + STREAM_CHUNK_OVERHEAD) + 2;
      tampered[at] = (tampered[at] ?? 0) ^ 0x80;
      // One byte at a time, so nothing is withheld merely for lack of input.
      const pieces = [...tampered].map((byte) => Uint8Array.of(byte));
      const { output, error } = await run(createDecryptStream(key), pieces);
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe('DECRYPTION_FAILED');
      expect(output.equals(data.subarray(0, chunk * chunkSize))).toBe(true);
    }
  });

  it('reports every truncation of a multi-chunk stream as a CryptoError', async () => {
    const encrypted = Buffer.from(
      encryptToBuffer(key, Buffer.from('a stream of three chunks'), { chunkSize: 9 }),
    );
    for (let length = 0; length < encrypted.length; length++) {
      const { error } = await run(createDecryptStream(key), [encrypted.subarray(0, length)]);
      expect(error).toBeInstanceOf(CryptoError);
    }
  });

  it('fails fast on a bad header', async () => {
    const encrypted = Buffer.from(encryptToBuffer(key, Buffer.from('x')));
    const badVersion = Buffer.from(encrypted);
    badVersion[0] = 9;
    expect(((await run(createDecryptStream(key), [badVersion])).error as CryptoError).code).toBe(
      'UNSUPPORTED_VERSION',
    );
    const { error } = await run(createDecryptStream(generateMasterKey()), [
      encrypted.subarray(0, 12),
    ]);
    expect((error as CryptoError).code).toBe('UNKNOWN_KEY_ID');
  });
});
