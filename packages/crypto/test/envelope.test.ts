import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  createKeyRing,
  generateDataKey,
  generateMasterKey,
  open,
  readWrappedKeyIds,
  rewrapKey,
  seal,
  unwrapKey,
  WRAPPED_KEY_BYTES,
  wrapKey,
} from '../src/index.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}

describe('envelope encryption', () => {
  const kek = generateMasterKey();
  const dataKey = generateDataKey();

  it('wraps and unwraps a data key, recording both ids', () => {
    const wrapped = wrapKey(kek, dataKey, 'db-1');
    expect(wrapped.length).toBe(WRAPPED_KEY_BYTES);
    expect(readWrappedKeyIds(wrapped)).toEqual({ kekId: kek.id, dataKeyId: dataKey.id });
    const back = unwrapKey(kek, wrapped, 'db-1');
    expect(back.id).toBe(dataKey.id);
    expect(Buffer.from(back.bytes).equals(Buffer.from(dataKey.bytes))).toBe(true);
    expect(Buffer.from(wrapped).includes(Buffer.from(dataKey.bytes))).toBe(false);
  });

  it('binds the context', () => {
    expect(codeOf(() => unwrapKey(kek, wrapKey(kek, dataKey, 'db-1'), 'db-2'))).toBe(
      'DECRYPTION_FAILED',
    );
    expect(codeOf(() => wrapKey(kek, dataKey, ''))).toBe('INVALID_ARGUMENT');
  });

  it('fails on every bit flip and truncation', () => {
    const wrapped = Buffer.from(wrapKey(kek, dataKey, 'db-1'));
    for (let bit = 0; bit < wrapped.length * 8; bit++) {
      const tampered = Buffer.from(wrapped);
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(codeOf(() => unwrapKey(kek, tampered, 'db-1'))).toMatch(
        /^(DECRYPTION_FAILED|UNKNOWN_KEY_ID|UNSUPPORTED_VERSION)$/,
      );
    }
    for (let length = 0; length < wrapped.length; length++) {
      expect(codeOf(() => unwrapKey(kek, wrapped.subarray(0, length), 'db-1'))).toBe('TRUNCATED');
    }
    expect(codeOf(() => unwrapKey(kek, Buffer.concat([wrapped, Buffer.alloc(1)]), 'db-1'))).toBe(
      'INVALID_FORMAT',
    );
  });

  it('rotates the master key by re-wrapping; data sealed under the data key still opens', () => {
    const sealed = seal(dataKey, Buffer.from('record'));
    const oldWrapped = wrapKey(kek, dataKey, 'db-1');
    const newKek = generateMasterKey();
    const rewrapped = rewrapKey(createKeyRing(kek), newKek, oldWrapped, 'db-1');
    expect(readWrappedKeyIds(rewrapped).kekId).toBe(newKek.id);
    const ring = createKeyRing(newKek, [kek]);
    const recovered = unwrapKey(ring, rewrapped, 'db-1');
    expect(Buffer.from(open(recovered, sealed)).toString()).toBe('record');
    expect(unwrapKey(ring, oldWrapped, 'db-1').id).toBe(dataKey.id);
    expect(codeOf(() => unwrapKey(newKek, oldWrapped, 'db-1'))).toBe('UNKNOWN_KEY_ID');
  });

  it('uses a subkey, not the master key itself, to wrap', () => {
    const wrapped = Buffer.from(wrapKey(kek, dataKey, 'db-1'));
    // Re-label the wrapped key as a sealed message under the master key: it must not open.
    const asSealed = Buffer.concat([
      Buffer.from([1]),
      wrapped.subarray(1, 9),
      wrapped.subarray(17),
    ]);
    expect(codeOf(() => open(kek, asSealed))).toBe('DECRYPTION_FAILED');
  });
});
