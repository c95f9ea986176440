import { sign as cryptoSign, KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sqlSchema } from '@cairn/storage';
import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import type { TokenService } from '../../src/identity/tokens/token-service.js';
import { hmacJwt, swapPayload, unsignedJwt } from './support/forge.js';
import { createFakeClock, type KeyedStore, openKeyedStore } from './support/keyed-store.js';

const issuer = 'https://cairn.test';
const audience = 'https://cairn.test/api';
const clock = createFakeClock();
let store: KeyedStore;
let tokens: TokenService;
let kid: string;
let ourKey: CryptoKey;
let publicJwk: Record<string, unknown>;
let keyServer: Server;
let keyServerHits = 0;
let keyServerUrl: string;

beforeAll(async () => {
  store = await openKeyedStore();
  await store.sql.db.delete(sqlSchema.signingKeys);
  tokens = createTokenService({
    sql: store.sql,
    issuer,
    audience,
    lifetimeSeconds: 600,
    now: clock.now,
  });
  const { keys } = await tokens.jwks();
  publicJwk = keys[0] ?? {};
  kid = String(publicJwk.kid);
  // The real private key, so claims tests change one claim and nothing else.
  const active = await store.sql.signingKeys.active();
  ourKey = (await importJWK(JSON.parse(active?.privateKey ?? '{}'), 'EdDSA')) as CryptoKey;
  // Where a jku/x5u header points: it must never be asked for anything.
  keyServer = createServer((_request, response) => {
    keyServerHits += 1;
    response.end('{"keys":[]}');
  });
  keyServer.listen(0, '127.0.0.1');
  await once(keyServer, 'listening');
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  keyServer.close();
  await store.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const nowSeconds = () => Math.floor(clock.now() / 1000);

function validClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const iat = nowSeconds();
  return {
    sub: 'user-1',
    tenant_id: 'acme',
    roles: ['reader'],
    iss: issuer,
    aud: audience,
    iat,
    exp: iat + 600,
    jti: 'jti-1',
    ...overrides,
  };
}

function sign(
  payload: JWTPayload,
  header: Record<string, unknown> = {},
  key: CryptoKey | Uint8Array = ourKey,
): Promise<string> {
  const claims = Object.fromEntries(
    Object.entries(payload).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid, ...header })
    .sign(key);
}

async function refused(token: string, reason?: RegExp) {
  const check = await tokens.verifyAccessToken(token);
  expect(check.ok).toBe(false);
  if (reason !== undefined && !check.ok) expect(check.reason).toMatch(reason);
}

describe('access tokens refuse forgeries', () => {
  it('accepts the control token built the same way', async () => {
    expect(await tokens.verifyAccessToken(await sign(validClaims()))).toMatchObject({ ok: true });
  });

  it('alg none, with and without a signature part', async () => {
    const header = { alg: 'none', typ: 'at+jwt', kid };
    await refused(unsignedJwt(header, validClaims()), /algorithm none not allowed/);
    await refused(`${unsignedJwt(header, validClaims())}c2ln`, /not allowed/);
    await refused(unsignedJwt({ ...header, alg: 'None' }, validClaims()), /not allowed/);
  });

  it('HS256 signed with the public key (algorithm confusion), in every form the key takes', async () => {
    const spki = await exportSPKI((await importJWK(publicJwk, 'EdDSA')) as CryptoKey);
    const rawX = Buffer.from(String(publicJwk.x), 'base64url');
    for (const secret of [spki, JSON.stringify(publicJwk), String(publicJwk.x), rawX]) {
      const token = hmacJwt({ alg: 'HS256', typ: 'at+jwt', kid }, validClaims(), secret);
      await refused(token, /algorithm HS256 not allowed/);
    }
  });

  it('RS256, PS256, ES256, ES384 and HS512 are not allowed', async () => {
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384']) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await sign(validClaims(), { alg }, privateKey);
      await refused(token, new RegExp(`algorithm ${alg} not allowed`));
    }
    await refused(
      hmacJwt({ alg: 'HS512', typ: 'at+jwt', kid }, validClaims(), 'x'),
      /HS512 not allowed/,
    );
  });

  it('an Ed25519 key of the attacker under our kid fails the signature', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    await refused(await sign(validClaims(), {}, privateKey), /signature/i);
  });

  it('a tampered payload (more roles, another user) fails the signature', async () => {
    const token = await sign(validClaims());
    await refused(swapPayload(token, { ...decodeJwt(token), roles: ['admin'] }), /signature/i);
    await refused(swapPayload(token, { ...decodeJwt(token), sub: 'user-2' }), /signature/i);
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    await refused(`${header}.${payload}.${flipped}`, /signature/i);
  });

  it('expired beyond the 30 s tolerance; not yet valid (nbf, iat) beyond it', async () => {
    const now = nowSeconds();
    expect(
      await tokens.verifyAccessToken(await sign(validClaims({ iat: now - 700, exp: now - 20 }))),
    ).toMatchObject({ ok: true });
    await refused(await sign(validClaims({ iat: now - 700, exp: now - 31 })), /exp/);
    await refused(await sign(validClaims({ nbf: now + 60 })), /nbf/);
    await refused(await sign(validClaims({ iat: now + 60, exp: now + 600 })), /iat/);
    // An issued token dies with its exp, on the service's own clock.
    const issued = await tokens.issueAccessToken({ userId: 'u', tenantId: null, roles: [] });
    clock.advance(631_000);
    await refused(issued.token, /exp/);
    clock.advance(-631_000);
  });

  it('wrong audience, wrong issuer, or none at all', async () => {
    await refused(await sign(validClaims({ aud: 'https://other.example' })), /aud/);
    await refused(await sign(validClaims({ aud: undefined })), /aud/);
    await refused(await sign(validClaims({ iss: 'https://evil.example' })), /iss/);
    await refused(await sign(validClaims({ iss: undefined })), /iss/);
  });

  it('missing jti, sub, exp or iat; roles and tenant of the wrong shape', async () => {
    await refused(await sign(validClaims({ jti: undefined })), /jti/);
    await refused(await sign(validClaims({ sub: undefined })), /sub/);
    await refused(await sign(validClaims({ sub: '' })), /sub/);
    await refused(await sign(validClaims({ exp: undefined })), /exp/);
    await refused(await sign(validClaims({ iat: undefined })), /iat/);
    await refused(await sign(validClaims({ roles: ['superuser'] })), /roles/);
    await refused(await sign(validClaims({ roles: 'admin' })), /roles/);
    await refused(await sign(validClaims({ tenant_id: 42 })), /tenant_id/);
  });

  it('the wrong typ (an ID token or a plain JWT) is refused', async () => {
    await refused(await sign(validClaims(), { typ: 'JWT' }), /typ/);
    await refused(await sign(validClaims(), { typ: undefined }), /typ/);
  });

  it('crit and b64 headers are refused, even correctly signed with our key', async () => {
    // jose will not sign these, so the test signs by hand with the same key.
    const signRaw = (header: Record<string, unknown>, payload: JWTPayload) => {
      const input = [header, payload]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.');
      const signature = cryptoSign(null, Buffer.from(input), KeyObject.from(ourKey));
      return `${input}.${signature.toString('base64url')}`;
    };
    const header = { alg: 'EdDSA', typ: 'at+jwt', kid };
    expect(await tokens.verifyAccessToken(signRaw(header, validClaims()))).toMatchObject({
      ok: true,
    });
    await refused(signRaw({ ...header, crit: ['exp'] }, validClaims()), /crit/);
    await refused(signRaw({ ...header, crit: ['x-custom'], 'x-custom': 1 }, validClaims()), /crit/);
    await refused(signRaw({ ...header, b64: false, crit: ['b64'] }, validClaims()), /crit/);
    await refused(signRaw({ ...header, b64: false }, validClaims()), /b64/);
  });

  it('jku, x5u and jwk headers are never fetched or trusted', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const attacker = await generateKeyPair('EdDSA', { extractable: true });
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker' };
    const headers = [
      { jku: `${keyServerUrl}/jwks.json`, kid: 'attacker' },
      { jku: `${keyServerUrl}/jwks.json` },
      { x5u: `${keyServerUrl}/cert.pem`, kid: 'attacker' },
      { jwk: attackerJwk, kid: 'attacker' },
      { jwk: attackerJwk },
    ];
    for (const header of headers) {
      await refused(await sign(validClaims(), header, attacker.privateKey));
    }
    // Our own key with such headers: they are simply ignored (still nothing fetched).
    const ours = await sign(validClaims(), { jku: `${keyServerUrl}/jwks.json` });
    expect(await tokens.verifyAccessToken(ours)).toMatchObject({ ok: true });
    expect(keyServerHits).toBe(0);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('an unknown or missing kid is refused', async () => {
    await refused(await sign(validClaims(), { kid: 'no-such-key' }), /unknown signing key/);
    await refused(await sign(validClaims(), { kid: undefined }), /kid header missing/);
    await refused(await sign(validClaims(), { kid: 7 }), /kid header missing/);
  });

  it('a huge token is refused before it is parsed', async () => {
    await refused('a'.repeat(1_000_000), /longer than 8192/);
    const padded = await sign(validClaims({ padding: 'x'.repeat(9000) }));
    await refused(padded, /longer than 8192/);
    await refused('', /malformed/);
    await refused('not.a.jwt', /malformed/);
    await refused('....', /malformed/);
  });

  it('a token verified by the wrong service (other audience) is refused', async () => {
    const other = createTokenService({
      sql: store.sql,
      issuer,
      audience: 'https://another-deployment.test',
      lifetimeSeconds: 600,
      now: clock.now,
    });
    const issued = await tokens.issueAccessToken({ userId: 'u', tenantId: null, roles: [] });
    expect(await other.verifyAccessToken(issued.token)).toMatchObject({ ok: false });
    expect(decodeProtectedHeader(issued.token).kid).toBe(kid);
  });
});
