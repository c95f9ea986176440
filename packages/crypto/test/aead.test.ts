import { createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  createKeyRing,
  generateMasterKey,
  open,
  readSealedKeyId,
  SEALED_OVERHEAD,
  seal,
} from '../src/index.js';

const key = generateMasterKey();
const ad = Buffer.from('db:1/segment:7/seq:42');

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe('seal / open', () => {
  it('round-trips any plaintext and associated data', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.uint8Array({ maxLength: 64 }),
        (plain, aad) => {
          const sealed = seal(key, plain, aad);
          expect(sealed.length).toBe(plain.length + SEALED_OVERHEAD);
          expect(Buffer.from(open(key, sealed, aad)).equals(Buffer.from(plain))).toBe(true);
        },
      ),
    );
  });

  it('has the documented layout: version, key id, nonce, ciphertext, tag over header ‖ AAD', () => {
    const plain = Buffer.from('layout check');
    const sealed = Buffer.from(seal(key, plain, ad));
    expect(SEALED_OVERHEAD).toBe(37);
    expect(sealed[0]).toBe(0x01);
    expect(sealed.subarray(1, 9).toString('hex')).toBe(key.id);
    expect(readSealedKeyId(sealed)).toBe(key.id);
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, sealed.subarray(9, 21));
    decipher.setAAD(Buffer.concat([sealed.subarray(0, 21), ad]));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const out = Buffer.concat([
      decipher.update(sealed.subarray(21, sealed.length - 16)),
      decipher.final(),
    ]);
    expect(out.equals(plain)).toBe(true);
  });

  it('uses a fresh nonce every time', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 200; i++) {
      nonces.add(
        Buffer.from(seal(key, Buffer.from('same')))
          .subarray(9, 21)
          .toString('hex'),
      );
    }
    expect(nonces.size).toBe(200);
  });

  it('fails with a CryptoError on every single-bit flip', () => {
    const sealed = Buffer.from(seal(key, Buffer.from('twenty bytes of text'), ad));
    const codes = new Set<string | undefined>();
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const tampered = Buffer.from(sealed);
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      codes.add(codeOf(() => open(key, tampered, ad)));
    }
    expect([...codes].sort()).toEqual([
      'DECRYPTION_FAILED',
      'UNKNOWN_KEY_ID',
      'UNSUPPORTED_VERSION',
    ]);
  });

  it('fails on a random bit flip of random messages (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 32 }),
        fc.nat(),
        (plain, aad, at) => {
          const sealed = Buffer.from(seal(key, plain, aad));
          const bit = at % (sealed.length * 8);
          sealed[bit >> 3] = (sealed[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          expect(codeOf(() => open(key, sealed, aad))).toBeDefined();
        },
      ),
    );
  });

  it('fails with a CryptoError on every truncation', () => {
    const sealed = Buffer.from(seal(key, Buffer.from('twenty bytes of text'), ad));
    for (let length = 0; length < sealed.length; length++) {
      const code = codeOf(() => open(key, sealed.subarray(0, length), ad));
      expect(code).toBe(length < SEALED_OVERHEAD ? 'TRUNCATED' : 'DECRYPTION_FAILED');
    }
  });

  it('fails on the wrong associated data, including none', () => {
    const sealed = seal(key, Buffer.from('x'), ad);
    expect(codeOf(() => open(key, sealed))).toBe('DECRYPTION_FAILED');
    expect(codeOf(() => open(key, sealed, Buffer.from('db:1/segment:7/seq:43')))).toBe(
      'DECRYPTION_FAILED',
    );
  });

  it('reports a wrong key as UNKNOWN_KEY_ID, and a forged id as DECRYPTION_FAILED', () => {
    const other = generateMasterKey();
    const sealed = Buffer.from(seal(key, Buffer.from('x'), ad));
    expect(codeOf(() => open(other, sealed, ad))).toBe('UNKNOWN_KEY_ID');
    sealed.write(other.id, 1, 8, 'hex');
    expect(codeOf(() => open(other, sealed, ad))).toBe('DECRYPTION_FAILED');
  });

  it('opens with any key of a ring and names missing ids', () => {
    const old = generateMasterKey();
    const ring = createKeyRing(generateMasterKey(), [old]);
    expect(Buffer.from(open(ring, seal(old, Buffer.from('rotated'), ad), ad)).toString()).toBe(
      'rotated',
    );
    const stranger = seal(generateMasterKey(), Buffer.from('x'));
    expect(codeOf(() => open(ring, stranger))).toBe('UNKNOWN_KEY_ID');
  });

  it('rejects other versions and empty input', () => {
    const sealed = Buffer.from(seal(key, Buffer.from('x')));
    sealed[0] = 0x02;
    expect(codeOf(() => open(key, sealed))).toBe('UNSUPPORTED_VERSION');
    expect(codeOf(() => open(key, new Uint8Array(0)))).toBe('TRUNCATED');
    expect(codeOf(() => readSealedKeyId(new Uint8Array([1, 2, 3])))).toBe('TRUNCATED');
  });
});
