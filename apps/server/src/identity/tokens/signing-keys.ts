import type { SigningKeyRecord, SqlStore } from '@cairn/storage';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_CURVE,
  ACTIVE_KEY_CACHE_MS,
  UNKNOWN_KID_RELOAD_INTERVAL_MS,
} from './token-limits.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/** Cairn's signing keys: one active (signs), retired ones kept while their tokens may live. */
export interface SigningKeys {
  active(): Promise<SigningKey>;
  /** The public key for `kid`, or undefined for an unknown, foreign or expired key. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  /** Public JWKs of every key whose tokens may still be alive. */
  published(): Promise<JWK[]>;
  rotate(): Promise<{ kid: string }>;
}

export interface SigningKeysOptions {
  readonly sql: SqlStore;
  /**
   * How long after its retirement a key still verifies and stays in the JWKS: the longest a
   * token it signed can live, plus clock tolerance, plus other servers' active-key cache.
   */
  readonly retentionMs: number;
  readonly now: () => number;
}

interface Generated {
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly privateJwk: string;
}

/** A fresh Ed25519 key; its kid is the RFC 7638 thumbprint, so it names the key itself. */
async function generateSigningKey(): Promise<Generated> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, {
    extractable: true,
  });
  const publicParts = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicParts);
  if (typeof publicParts.x !== 'string') throw new Error('generated key has no public x');
  const publicJwk: JWK = {
    kty: 'OKP',
    crv: ACCESS_TOKEN_CURVE,
    x: publicParts.x,
    kid,
    alg: ACCESS_TOKEN_ALGORITHM,
    use: 'sig',
  };
  const privateJwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid });
  return { kid, publicJwk, privateJwk };
}

/** Only Ed25519 public keys: a row of any other shape is never used to verify. */
function publicJwkOf(record: SigningKeyRecord): JWK | undefined {
  const jwk = record.publicJwk;
  if (record.algorithm !== ACCESS_TOKEN_ALGORITHM) return undefined;
  if (jwk.kty !== 'OKP' || jwk.crv !== ACCESS_TOKEN_CURVE || typeof jwk.x !== 'string') {
    return undefined;
  }
  return {
    kty: 'OKP',
    crv: ACCESS_TOKEN_CURVE,
    x: jwk.x,
    kid: record.kid,
    alg: ACCESS_TOKEN_ALGORITHM,
    use: 'sig',
  };
}

async function importPrivate(kid: string, privateKey: string): Promise<SigningKey> {
  const jwk = JSON.parse(privateKey) as JWK;
  const key = await importJWK(jwk, ACCESS_TOKEN_ALGORITHM);
  if (key instanceof Uint8Array) throw new Error(`signing key "${kid}" is not an asymmetric key`);
  return { kid, privateKey: key };
}

export function createSigningKeys({ sql, retentionMs, now }: SigningKeysOptions): SigningKeys {
  let activeKey: { key: SigningKey; loadedAt: number } | undefined;
  let activeLoading: Promise<SigningKey> | undefined;
  let table: { records: SigningKeyRecord[]; loadedAt: number } | undefined;
  let tableLoading: Promise<SigningKeyRecord[]> | undefined;
  const imported = new Map<string, Promise<CryptoKey>>();

  const loadActive = async (): Promise<SigningKey> => {
    let stored = await sql.signingKeys.active();
    if (stored === undefined) {
      // First start: make one, unless a concurrent start (another process too) won the race.
      const generated = await generateSigningKey();
      ({ key: stored } = await sql.signingKeys.createIfNoneActive({
        kid: generated.kid,
        algorithm: ACCESS_TOKEN_ALGORITHM,
        publicJwk: { ...generated.publicJwk },
        privateKey: generated.privateJwk,
      }));
      table = undefined;
    }
    if (publicJwkOf(stored) === undefined) {
      throw new Error(
        `the active signing key "${stored.kid}" is not an ${ACCESS_TOKEN_ALGORITHM} ${ACCESS_TOKEN_CURVE} key: rotate the signing key`,
      );
    }
    return importPrivate(stored.kid, stored.privateKey);
  };

  const loadTable = (): Promise<SigningKeyRecord[]> => {
    tableLoading ??= sql.signingKeys
      .list()
      .then((records) => {
        table = { records, loadedAt: now() };
        return records;
      })
      .finally(() => {
        tableLoading = undefined;
      });
    return tableLoading;
  };

  const isAlive = (record: SigningKeyRecord, at: number) =>
    record.retiredAt === null || record.retiredAt.getTime() + retentionMs > at;

  const records = async (): Promise<SigningKeyRecord[]> => {
    if (table === undefined || now() - table.loadedAt >= ACTIVE_KEY_CACHE_MS) return loadTable();
    return table.records;
  };

  const active = async (): Promise<SigningKey> => {
    if (activeKey !== undefined && now() - activeKey.loadedAt < ACTIVE_KEY_CACHE_MS) {
      return activeKey.key;
    }
    activeLoading ??= loadActive()
      .then((key) => {
        activeKey = { key, loadedAt: now() };
        return key;
      })
      .finally(() => {
        activeLoading = undefined;
      });
    return activeLoading;
  };

  return {
    active,

    async verificationKey(kid) {
      let record = (await records()).find((candidate) => candidate.kid === kid);
      if (
        record === undefined &&
        table !== undefined &&
        now() - table.loadedAt >= UNKNOWN_KID_RELOAD_INTERVAL_MS
      ) {
        // Another server may have rotated; reload, but not more often than the interval.
        record = (await loadTable()).find((candidate) => candidate.kid === kid);
      }
      if (record === undefined || !isAlive(record, now())) return undefined;
      const jwk = publicJwkOf(record);
      if (jwk === undefined) return undefined;
      let key = imported.get(kid);
      if (key === undefined) {
        key = importJWK(jwk, ACCESS_TOKEN_ALGORITHM) as Promise<CryptoKey>;
        imported.set(kid, key);
      }
      return key;
    },

    async published() {
      await active(); // the JWKS of a fresh deployment already holds its first key
      const at = now();
      return (await records())
        .filter((record) => isAlive(record, at))
        .map(publicJwkOf)
        .filter((jwk): jwk is JWK => jwk !== undefined);
    },

    async rotate() {
      const generated = await generateSigningKey();
      await sql.signingKeys.rotate({
        kid: generated.kid,
        algorithm: ACCESS_TOKEN_ALGORITHM,
        publicJwk: { ...generated.publicJwk },
        privateKey: generated.privateJwk,
      });
      // Keys whose every token has expired leave the table (they would never verify again).
      const at = now();
      for (const record of await sql.signingKeys.list()) {
        if (!isAlive(record, at)) {
          await sql.signingKeys.delete(record.kid);
          imported.delete(record.kid);
        }
      }
      activeKey = undefined;
      table = undefined;
      return { kid: generated.kid };
    },
  };
}
