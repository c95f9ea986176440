import { randomBytes } from 'node:crypto';
import { asBuffer, toHex, utf8 } from './encoding.js';
import { CryptoError } from './errors.js';
import {
  type AssociatedData,
  GCM_NONCE_BYTES,
  GCM_TAG_BYTES,
  gcmDecryptParts,
  gcmEncrypt,
} from './gcm.js';
import { hkdfSha256 } from './hkdf.js';
import { type KeyRing, resolveKey } from './key-ring.js';
import { assertKey, KEY_BYTES, KEY_ID_BYTES, type SymmetricKey } from './keys.js';

/*
 * Encrypted stream, version 1 — a STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015)
 * as in Tink's AES-GCM-HKDF streaming AEAD.
 * Header (36 bytes):
 *   0   1  version 0x01
 *   1   8  key id
 *   9  16  salt (random): stream key = HKDF-SHA-256(key, salt, "cairn/v1/stream", 32)
 *  25   7  nonce prefix (random)
 *  32   4  chunk size: plaintext bytes per chunk, uint32 big-endian, 1..16 MiB
 * Then chunks, each ciphertext ‖ 16-byte tag. Every chunk but the last holds exactly `chunk size`
 * plaintext bytes; the last holds 0..chunk size (0 only for an empty stream).
 * Nonce of chunk i = prefix(7) ‖ i as uint32 big-endian(4) ‖ 0x01 if last chunk else 0x00.
 * GCM's associated data for every chunk = the 36-byte header ‖ the caller's associated data.
 */
export const STREAM_VERSION = 0x01;
export const STREAM_SALT_BYTES = 16;
export const STREAM_NONCE_PREFIX_BYTES = 7;
export const STREAM_HEADER_BYTES =
  1 + KEY_ID_BYTES + STREAM_SALT_BYTES + STREAM_NONCE_PREFIX_BYTES + 4;
export const STREAM_CHUNK_OVERHEAD = GCM_TAG_BYTES;
export const DEFAULT_CHUNK_SIZE = 65_536;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAX_CHUNKS = 2 ** 32;
const STREAM_KEY_INFO = utf8('cairn/v1/stream');
const EMPTY = new Uint8Array(0);

export function assertChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE} (got ${String(chunkSize)})`,
    );
  }
}

/** Seals the chunks of one stream in order; knows its counter, so it cannot reuse a nonce. */
export class ChunkSealer {
  readonly header: Buffer;
  readonly chunkSize: number;
  readonly #streamKey: Uint8Array;
  readonly #associatedData: AssociatedData;
  #index = 0;
  #finished = false;

  constructor(key: SymmetricKey, chunkSize: number, associatedData: Uint8Array = EMPTY) {
    assertChunkSize(chunkSize);
    assertKey(key, 'stream key');
    this.chunkSize = chunkSize;
    const header = Buffer.allocUnsafe(STREAM_HEADER_BYTES);
    header[0] = STREAM_VERSION;
    header.write(key.id, 1, KEY_ID_BYTES, 'hex');
    randomBytes(STREAM_SALT_BYTES + STREAM_NONCE_PREFIX_BYTES).copy(header, 1 + KEY_ID_BYTES);
    header.writeUInt32BE(chunkSize, STREAM_HEADER_BYTES - 4);
    this.header = header;
    this.#streamKey = deriveStreamKey(key, header);
    this.#associatedData = [header, associatedData];
  }

  sealChunk(plaintext: readonly Uint8Array[], final: boolean): Buffer {
    if (this.#finished) throw new CryptoError('INVALID_ARGUMENT', 'Stream already finished');
    if (this.#index >= MAX_CHUNKS) {
      throw new CryptoError(
        'INVALID_ARGUMENT',
        'Stream exceeds 2^32 chunks; use a larger chunkSize',
      );
    }
    const nonce = chunkNonce(this.header, this.#index, final);
    this.#index += 1;
    this.#finished = final;
    return gcmEncrypt(this.#streamKey, nonce, plaintext, this.#associatedData);
  }
}

/** Opens the chunks of one stream in order. */
export class ChunkOpener {
  readonly chunkSize: number;
  readonly header: Buffer;
  readonly #streamKey: Uint8Array;
  readonly #associatedData: AssociatedData;
  #index = 0;

  constructor(
    keys: SymmetricKey | KeyRing,
    header: Uint8Array,
    associatedData: Uint8Array = EMPTY,
  ) {
    const keyId = readStreamKeyId(header);
    const key = resolveKey(keys, keyId, 'Encrypted stream');
    if (header.length < STREAM_HEADER_BYTES) {
      throw new CryptoError('TRUNCATED', 'Encrypted stream ends inside its 36-byte header');
    }
    this.header = Buffer.from(header.subarray(0, STREAM_HEADER_BYTES));
    this.chunkSize = this.header.readUInt32BE(STREAM_HEADER_BYTES - 4);
    if (this.chunkSize < 1 || this.chunkSize > MAX_CHUNK_SIZE) {
      throw new CryptoError(
        'INVALID_FORMAT',
        `Encrypted stream header gives chunk size ${this.chunkSize}, outside 1..${MAX_CHUNK_SIZE}; not a stream this library wrote`,
      );
    }
    this.#streamKey = deriveStreamKey(key, this.header);
    this.#associatedData = [this.header, associatedData];
  }

  get index(): number {
    return this.#index;
  }

  /** Opens the next chunk (given as consecutive pieces); on success the counter advances. */
  openChunk(frame: readonly Buffer[], final: boolean): Buffer[] {
    const plaintext = this.tryChunk(frame, final);
    this.#index += 1;
    return plaintext;
  }

  /** Opens the next chunk without advancing (used to explain a failure). */
  tryChunk(frame: readonly Buffer[], final: boolean): Buffer[] {
    if (this.#index >= MAX_CHUNKS) {
      throw new CryptoError('INVALID_FORMAT', 'Encrypted stream has more than 2^32 chunks');
    }
    return gcmDecryptParts(
      this.#streamKey,
      chunkNonce(this.header, this.#index, final),
      frame,
      this.#associatedData,
      `Chunk ${this.#index}${final ? ' (final)' : ''} of the encrypted stream`,
    );
  }
}

export function readStreamKeyId(header: Uint8Array): string {
  if (!(header instanceof Uint8Array)) {
    throw new CryptoError('INVALID_FORMAT', 'An encrypted stream header must be a Uint8Array');
  }
  if (header.length === 0) throw new CryptoError('TRUNCATED', 'Encrypted stream is empty');
  if (header[0] !== STREAM_VERSION) {
    throw new CryptoError(
      'UNSUPPORTED_VERSION',
      `Encrypted stream has version byte 0x${(header[0] ?? 0).toString(16).padStart(2, '0')}; this library reads version 0x01`,
    );
  }
  if (header.length < 1 + KEY_ID_BYTES) {
    throw new CryptoError('TRUNCATED', 'Encrypted stream ends inside its key id');
  }
  return toHex(header.subarray(1, 1 + KEY_ID_BYTES));
}

function deriveStreamKey(key: SymmetricKey, header: Buffer): Uint8Array {
  const salt = header.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + STREAM_SALT_BYTES);
  return hkdfSha256(key.bytes, salt, STREAM_KEY_INFO, KEY_BYTES);
}

function chunkNonce(header: Buffer, index: number, final: boolean): Buffer {
  const nonce = Buffer.allocUnsafe(GCM_NONCE_BYTES);
  const prefixStart = 1 + KEY_ID_BYTES + STREAM_SALT_BYTES;
  asBuffer(header).copy(nonce, 0, prefixStart, prefixStart + STREAM_NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, STREAM_NONCE_PREFIX_BYTES);
  nonce[GCM_NONCE_BYTES - 1] = final ? 1 : 0;
  return nonce;
}
