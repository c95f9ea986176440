/*
 * BENCHMARK ONLY. A record "cipher" that does not encrypt, with the same frame sizes as the real
 * one, so the benchmark can measure what encryption costs on the same code path. It is not
 * exported from the package and must never be used to store data.
 */
import type { KeyRing, SymmetricKey } from '@cairn/crypto';
import type { RecordCipher } from '../src/log/record-cipher.js';

const HEAD = 1 + 8 + 12;
const TAG = 16;

export const plaintextCipherForBenchmarkOnly: RecordCipher = {
  seal(key: SymmetricKey, payload: Uint8Array): Uint8Array {
    const out = Buffer.alloc(HEAD + payload.length + TAG);
    out[0] = 1;
    out.write(key.id, 1, 8, 'hex');
    out.set(payload, HEAD);
    return out;
  },
  open(_keys: KeyRing, sealed: Uint8Array): Uint8Array {
    return sealed.subarray(HEAD, sealed.length - TAG);
  },
};
