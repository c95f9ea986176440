import { describe, expect, it } from 'vitest';
import { gcmDecrypt, gcmEncrypt } from '../src/gcm.js';
import { hkdfSha256 } from '../src/hkdf.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const range = (from: number, to: number) =>
  Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

// McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13–16 (256-bit key, 96-bit IV),
// which are also in the NIST GCMVS vector set.
const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const gcmVectors = [
  {
    name: 'test case 13 (empty plaintext)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '',
    aad: '',
    ciphertext: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    name: 'test case 14 (one zero block)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '00'.repeat(16),
    aad: '',
    ciphertext: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'test case 15 (four blocks)',
    key: K15,
    iv: 'cafebabefacedbaddecaf888',
    plaintext: P15,
    aad: '',
    ciphertext: C15,
    tag: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    name: 'test case 16 (partial block, with AAD)',
    key: K15,
    iv: 'cafebabefacedbaddecaf888',
    plaintext: P15.slice(0, 120),
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ciphertext: C15.slice(0, 120),
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-256-GCM known answers', () => {
  for (const vector of gcmVectors) {
    it(`encrypts ${vector.name}`, () => {
      const out = gcmEncrypt(hex(vector.key), hex(vector.iv), hex(vector.plaintext), [
        hex(vector.aad),
      ]);
      expect(out.toString('hex')).toBe(vector.ciphertext + vector.tag);
    });

    it(`decrypts ${vector.name} and rejects a flipped tag`, () => {
      const sealed = hex(vector.ciphertext + vector.tag);
      const plain = gcmDecrypt(
        hex(vector.key),
        hex(vector.iv),
        sealed,
        [hex(vector.aad)],
        'vector',
      );
      expect(plain.toString('hex')).toBe(vector.plaintext);
      sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
      expect(() =>
        gcmDecrypt(hex(vector.key), hex(vector.iv), sealed, [hex(vector.aad)], 'vector'),
      ).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    });
  }
});

// RFC 5869 appendix A, test cases 1–3 (SHA-256).
const hkdfVectors = [
  {
    name: 'test case 1',
    ikm: hex('0b'.repeat(22)),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'test case 2 (long inputs)',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
      'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'test case 3 (empty salt and info)',
    ikm: hex('0b'.repeat(22)),
    salt: Buffer.alloc(0),
    info: Buffer.alloc(0),
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

describe('HKDF-SHA-256 known answers (RFC 5869)', () => {
  for (const vector of hkdfVectors) {
    it(vector.name, () => {
      const okm = hkdfSha256(vector.ikm, vector.salt, vector.info, vector.length);
      expect(Buffer.from(okm).toString('hex')).toBe(vector.okm);
    });
  }
});
