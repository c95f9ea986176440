import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import type { TokenService } from '../../src/identity/tokens/token-service.js';
import { hmacJwt, swapPayload, unsignedJwt } from './support/forge.js';
import { createFakeClock, type KeyedStore, openKeyedStore } from './support/keyed-store.js';

const secret = 'the-external-systems-shared-secret-0123456789';
const audience = 'https://cairn.test';
const clock = createFakeClock();
let store: KeyedStore;
let tokens: TokenService;

beforeAll(async () => {
  store = await openKeyedStore();
  tokens = createTokenService({
    sql: store.sql,
    issuer: audience,
    audience,
    lifetimeSeconds: 600,
    jwtSecret: secret,
    now: clock.now,
  });
});
afterAll(async () => {
  await store.close();
});

const nowSeconds = () => Math.floor(clock.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  user_id: 'ext-1',
  tenant_id: 'acme',
  roles: ['reader'],
  exp: nowSeconds() + 300,
  ...overrides,
});
const hs256 = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  hmacJwt({ alg: 'HS256', typ: 'JWT', ...header }, payload, secret);

async function refused(token: string, reason?: RegExp) {
  const check = await tokens.verifyExternalToken?.(token);
  expect(check?.ok).toBe(false);
  if (reason !== undefined && check !== undefined && !check.ok)
    expect(check.reason).toMatch(reason);
}

describe('external tokens refuse forgeries', () => {
  it('accepts the control token, with and without typ', async () => {
    expect(await tokens.verifyExternalToken?.(hs256(claims()))).toMatchObject({ ok: true });
    const untyped = hmacJwt({ alg: 'HS256' }, claims(), secret);
    expect(await tokens.verifyExternalToken?.(untyped)).toMatchObject({ ok: true });
  });

  it('alg none, another secret, HS384/HS512, and asymmetric algorithms', async () => {
    await refused(unsignedJwt({ alg: 'none', typ: 'JWT' }, claims()), /none not allowed/);
    await refused(hmacJwt({ alg: 'HS256' }, claims(), `${secret}!`), /signature/i);
    await refused(hmacJwt({ alg: 'HS512' }, claims(), secret), /HS512 not allowed/);
    const { privateKey } = await generateKeyPair('EdDSA');
    const signed = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .sign(privateKey);
    await refused(signed, /EdDSA not allowed/);
  });

  it('an access token typ is not an external token', async () => {
    await refused(hs256(claims(), { typ: 'at+jwt' }), /typ/);
  });

  it('a tampered payload (admin role, other tenant) fails the signature', async () => {
    const token = hs256(claims());
    await refused(swapPayload(token, claims({ roles: ['admin'] })), /signature/i);
    await refused(swapPayload(token, claims({ tenant_id: 'other' })), /signature/i);
  });

  it('exp is required and checked with a 30 s tolerance; nbf and iat are honoured', async () => {
    const now = nowSeconds();
    await refused(hs256(claims({ exp: undefined })), /exp/);
    await refused(hs256(claims({ exp: String(now + 300) })), /exp/);
    expect(await tokens.verifyExternalToken?.(hs256(claims({ exp: now - 20 })))).toMatchObject({
      ok: true,
    });
    await refused(hs256(claims({ exp: now - 31 })), /exp/);
    await refused(hs256(claims({ nbf: now + 60 })), /nbf/);
    await refused(hs256(claims({ iat: now + 60 })), /iat in the future/);
    await refused(hs256(claims({ iat: 'yesterday' })), /iat/);
  });

  it('user_id, tenant_id and roles must have the documented shape', async () => {
    await refused(hs256(claims({ user_id: undefined })), /user_id/);
    await refused(hs256(claims({ user_id: 12 })), /user_id/);
    await refused(hs256(claims({ tenant_id: undefined })), /tenant_id/);
    await refused(hs256(claims({ roles: undefined })), /roles/);
    await refused(hs256(claims({ roles: ['reader', 'root'] })), /"root"/);
    await refused(hs256(claims({ roles: 'admin' })), /roles/);
  });

  it('an audience, when the token names one, must be this deployment', async () => {
    expect(
      await tokens.verifyExternalToken?.(hs256(claims({ aud: [audience, 'x'] }))),
    ).toMatchObject({ ok: true });
    await refused(hs256(claims({ aud: 'https://elsewhere.test' })), /aud/);
  });

  it('crit headers and huge tokens are refused', async () => {
    await refused(hs256(claims(), { crit: ['exp'] }), /crit/);
    await refused(hs256(claims({ padding: 'x'.repeat(10_000) })), /longer than 8192/);
  });

  it('Cairn access tokens are not external tokens, and the other way round', async () => {
    const access = await tokens.issueAccessToken({ userId: 'u', tenantId: null, roles: [] });
    await refused(access.token, /EdDSA not allowed/);
    const payload: JWTPayload = { ...claims(), sub: 'u', jti: 'j', iat: nowSeconds() };
    const check = await tokens.verifyAccessToken(hs256(payload, { typ: 'at+jwt' }));
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/HS256 not allowed/) });
  });
});
