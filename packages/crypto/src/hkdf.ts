import { hkdfSync } from 'node:crypto';
import { asBuffer } from './encoding.js';
import { CryptoError } from './errors.js';
import { assertKey, createKey, KEY_BYTES, type SymmetricKey } from './keys.js';

/** HKDF-SHA-256 (RFC 5869): extract with `salt`, expand with `info` to `length` bytes. */
export function hkdfSha256(
  inputKey: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', asBuffer(inputKey), asBuffer(salt), asBuffer(info), length),
  );
}

/** Every purpose a subkey of the master key is used for. One label per purpose, never shared. */
export const SUBKEY_PURPOSES = [
  'data-key-wrap',
  'secret-box',
  'api-key-pepper',
  'refresh-token-pepper',
  'signing-key-wrap',
  'audit',
] as const;
export type SubkeyPurpose = (typeof SUBKEY_PURPOSES)[number];

/* node:crypto caps HKDF info at 1024 bytes; the prefix takes at most ~30 of them. */
const MAX_CONTEXT_BYTES = 960;
const EMPTY = new Uint8Array(0);

/**
 * HKDF-SHA-256 with info "cairn/v1/<purpose>" or "cairn/v1/<purpose>/<context>". Purposes hold
 * no "/", so the info string decodes to exactly one (purpose, context) pair: distinct inputs
 * give independent keys.
 */
export function deriveSubkey(
  master: SymmetricKey,
  purpose: SubkeyPurpose,
  context?: string,
): SymmetricKey {
  if (!SUBKEY_PURPOSES.includes(purpose)) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `Unknown subkey purpose "${String(purpose).slice(0, 40)}"; use one of ${SUBKEY_PURPOSES.join(', ')}`,
    );
  }
  assertKey(master, 'master key');
  const info = context === undefined ? `cairn/v1/${purpose}` : `cairn/v1/${purpose}/${context}`;
  const infoBytes = Buffer.from(info, 'utf8');
  if (infoBytes.length - purpose.length - 10 > MAX_CONTEXT_BYTES) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `Subkey context is longer than ${MAX_CONTEXT_BYTES} bytes; pass an id, not a document`,
    );
  }
  const bytes = hkdfSha256(master.bytes, EMPTY, infoBytes, KEY_BYTES);
  const key = createKey(bytes);
  bytes.fill(0);
  return key;
}
