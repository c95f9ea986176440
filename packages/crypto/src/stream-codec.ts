import { ByteQueue } from './byte-queue.js';
import { CryptoError, isCryptoError } from './errors.js';
import type { KeyRing } from './key-ring.js';
import type { SymmetricKey } from './keys.js';
import {
  ChunkOpener,
  ChunkSealer,
  STREAM_CHUNK_OVERHEAD,
  STREAM_HEADER_BYTES,
} from './stream-format.js';

/*
 * Push-style encoder/decoder shared by the Transform streams and the in-memory functions.
 * Both hold back one chunk's worth of input: a chunk is only known not to be the last when more
 * bytes follow it.
 */

export class StreamEncryptor {
  readonly #sealer: ChunkSealer;
  readonly #pending = new ByteQueue();
  #headerSent = false;

  constructor(key: SymmetricKey, chunkSize: number, associatedData?: Uint8Array) {
    this.#sealer = new ChunkSealer(key, chunkSize, associatedData);
  }

  push(bytes: Uint8Array): Buffer[] {
    const out = this.#takeHeader();
    this.#pending.push(bytes);
    const size = this.#sealer.chunkSize;
    while (this.#pending.length > size) {
      out.push(this.#sealer.sealChunk(this.#pending.takeParts(size), false));
    }
    return out;
  }

  end(): Buffer[] {
    const out = this.#takeHeader();
    out.push(this.#sealer.sealChunk(this.#pending.takeParts(this.#pending.length), true));
    return out;
  }

  #takeHeader(): Buffer[] {
    if (this.#headerSent) return [];
    this.#headerSent = true;
    return [this.#sealer.header];
  }
}

export class StreamDecryptor {
  readonly #keys: SymmetricKey | KeyRing;
  readonly #associatedData: Uint8Array | undefined;
  readonly #pending = new ByteQueue();
  #opener: ChunkOpener | undefined;

  constructor(keys: SymmetricKey | KeyRing, associatedData?: Uint8Array) {
    this.#keys = keys;
    this.#associatedData = associatedData;
  }

  /** Returns the plaintext of every chunk that is complete and authenticated so far. */
  push(bytes: Uint8Array): Buffer[] {
    this.#pending.push(bytes);
    const opener = this.#openerIfReady();
    if (opener === undefined) return [];
    const frameSize = opener.chunkSize + STREAM_CHUNK_OVERHEAD;
    const out: Buffer[] = [];
    while (this.#pending.length > frameSize) {
      const frame = this.#pending.takeParts(frameSize);
      try {
        out.push(...opener.openChunk(frame, false));
      } catch (error) {
        throw explainMiddleFailure(opener, frame, error);
      }
    }
    return out;
  }

  /** Input ended: what is left must be exactly one final chunk. */
  end(): Buffer[] {
    const opener = this.#openerIfReady();
    if (opener === undefined) {
      throw new CryptoError('TRUNCATED', 'Encrypted stream ends inside its 36-byte header');
    }
    const restLength = this.#pending.length;
    const rest = this.#pending.takeParts(restLength);
    if (restLength === 0) {
      throw new CryptoError(
        'TRUNCATED',
        `Encrypted stream ends after ${opener.index} chunk(s), before its final chunk`,
      );
    }
    if (restLength < STREAM_CHUNK_OVERHEAD) {
      throw new CryptoError('TRUNCATED', 'Encrypted stream ends inside a chunk tag');
    }
    try {
      return opener.openChunk(rest, true);
    } catch (error) {
      throw explainFinalFailure(opener, rest, restLength, error);
    }
  }

  #openerIfReady(): ChunkOpener | undefined {
    if (this.#opener === undefined && this.#pending.length >= STREAM_HEADER_BYTES) {
      const header = this.#pending.take(STREAM_HEADER_BYTES);
      this.#opener = new ChunkOpener(this.#keys, header, this.#associatedData);
    }
    if (this.#opener === undefined && this.#pending.length > 0) {
      // Fail fast on a wrong version or foreign key before the whole header arrives.
      probeHeader(this.#keys, this.#pending.peek());
    }
    return this.#opener;
  }
}

function probeHeader(keys: SymmetricKey | KeyRing, partial: Uint8Array): void {
  try {
    new ChunkOpener(keys, partial);
  } catch (error) {
    if (!isCryptoError(error, 'TRUNCATED')) throw error;
  }
}

/* A full-size chunk that fails as "not last" but opens as "last" means bytes were appended. */
function explainMiddleFailure(opener: ChunkOpener, frame: Buffer[], error: unknown): unknown {
  if (!isCryptoError(error, 'DECRYPTION_FAILED')) return error;
  try {
    for (const piece of opener.tryChunk(frame, true)) piece.fill(0);
  } catch {
    return error;
  }
  return new CryptoError(
    'INVALID_FORMAT',
    `Encrypted stream has trailing bytes after its final chunk (chunk ${opener.index})`,
  );
}

/* A full-size last chunk that opens as "not last" means the real final chunk was cut off. */
function explainFinalFailure(
  opener: ChunkOpener,
  rest: Buffer[],
  restLength: number,
  error: unknown,
): unknown {
  if (!isCryptoError(error, 'DECRYPTION_FAILED')) return error;
  if (restLength !== opener.chunkSize + STREAM_CHUNK_OVERHEAD) return error;
  try {
    for (const piece of opener.tryChunk(rest, false)) piece.fill(0);
  } catch {
    return error;
  }
  return new CryptoError(
    'TRUNCATED',
    `Encrypted stream ends after ${opener.index + 1} chunk(s), before its final chunk`,
  );
}
