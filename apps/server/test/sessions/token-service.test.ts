import { sqlSchema } from '@cairn/storage';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import { mintExternalToken } from '../../src/identity/tokens/external-tokens.js';
import { ACTIVE_KEY_CACHE_MS } from '../../src/identity/tokens/token-limits.js';
import { createFakeClock, type KeyedStore, openKeyedStore } from './support/keyed-store.js';

const issuer = 'https://cairn.test';
const audience = 'https://cairn.test';
const secret = 'an-external-secret-of-at-least-32-bytes!';
const subject = { userId: 'user-1', tenantId: 'tenant-1', roles: ['writer' as const] };

let store: KeyedStore;
beforeAll(async () => {
  store = await openKeyedStore();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  // Each test starts like a fresh deployment: no signing key yet.
  await store.sql.db.delete(sqlSchema.signingKeys);
});

function service(clock = createFakeClock(), lifetimeSeconds = 900) {
  return createTokenService({ sql: store.sql, issuer, audience, lifetimeSeconds, now: clock.now });
}

describe('createTokenService', () => {
  it('issues an EdDSA at+jwt with the documented claims, and verifies it', async () => {
    const clock = createFakeClock();
    const tokens = service(clock, 600);
    const issued = await tokens.issueAccessToken(subject);
    const header = decodeProtectedHeader(issued.token);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const payload = decodeJwt(issued.token);
    expect(payload).toMatchObject({
      sub: 'user-1',
      tenant_id: 'tenant-1',
      roles: ['writer'],
      iss: issuer,
      aud: audience,
      jti: issued.jti,
    });
    expect(payload.exp).toBe(Math.floor(clock.now() / 1000) + 600);
    expect(issued.expiresAt.getTime()).toBe((payload.exp ?? 0) * 1000);
    expect(await tokens.verifyAccessToken(issued.token)).toEqual({
      ok: true,
      claims: {
        sub: 'user-1',
        jti: issued.jti,
        iat: payload.iat,
        exp: payload.exp,
        tenantId: 'tenant-1',
        roles: ['writer'],
      },
    });
  });

  it('a null tenant stays null; each token has its own jti', async () => {
    const tokens = service();
    const first = await tokens.issueAccessToken({ ...subject, tenantId: null });
    const second = await tokens.issueAccessToken({ ...subject, tenantId: null });
    expect(first.jti).not.toBe(second.jti);
    const check = await tokens.verifyAccessToken(first.token);
    expect(check.ok && check.claims.tenantId).toBeNull();
  });

  it('publishes the public key (no private part) under the kid the tokens carry', async () => {
    const tokens = service();
    const { token } = await tokens.issueAccessToken(subject);
    const { keys } = await tokens.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: decodeProtectedHeader(token).kid,
      alg: 'EdDSA',
      use: 'sig',
    });
  });

  it('a fresh deployment already has a key in its JWKS', async () => {
    expect((await service().jwks()).keys).toHaveLength(1);
  });

  it('stores the private key sealed, and a second server reuses it', async () => {
    const first = service();
    const { token } = await first.issueAccessToken(subject);
    const [row] = await store.sql.db.select().from(sqlSchema.signingKeys);
    expect(row?.sealedPrivateKey).toMatch(/^cairn-sb1\./);
    expect(row?.sealedPrivateKey).not.toContain('"d"');
    const second = service();
    expect((await second.verifyAccessToken(token)).ok).toBe(true);
    const again = await second.issueAccessToken(subject);
    expect(decodeProtectedHeader(again.token).kid).toBe(decodeProtectedHeader(token).kid);
  });

  it('concurrent first starts of several servers create exactly one active key', async () => {
    const servers = [service(), service(), service(), service()];
    const issued = await Promise.all(
      servers.flatMap((tokens) => [tokens.issueAccessToken(subject), tokens.jwks()]),
    );
    const rows = await store.sql.db.select().from(sqlSchema.signingKeys);
    expect(rows).toHaveLength(1);
    const kids = issued.map((result) =>
      'token' in result ? decodeProtectedHeader(result.token).kid : result.keys[0]?.kid,
    );
    expect(new Set(kids)).toEqual(new Set([rows[0]?.kid]));
  });

  it('rotation: new tokens use the new kid, old tokens stay valid until the old key lapses', async () => {
    const clock = createFakeClock();
    const lifetimeSeconds = 300;
    const tokens = service(clock, lifetimeSeconds);
    const old = await tokens.issueAccessToken(subject);
    const oldKid = decodeProtectedHeader(old.token).kid;
    const { kid: newKid } = await tokens.rotateSigningKey();
    expect(newKid).not.toBe(oldKid);
    const fresh = await tokens.issueAccessToken(subject);
    expect(decodeProtectedHeader(fresh.token).kid).toBe(newKid);
    expect((await tokens.verifyAccessToken(old.token)).ok).toBe(true);
    expect((await tokens.verifyAccessToken(fresh.token)).ok).toBe(true);
    expect((await tokens.jwks()).keys.map((key) => key.kid).sort()).toEqual(
      [oldKid, newKid].sort(),
    );
    // Another server that has not seen the rotation yet still verifies both.
    const other = service(clock, lifetimeSeconds);
    expect((await other.verifyAccessToken(old.token)).ok).toBe(true);
    expect((await other.verifyAccessToken(fresh.token)).ok).toBe(true);

    // Past every token the old key could have signed, it leaves the JWKS and verifies nothing.
    clock.advance((lifetimeSeconds + 30) * 1000 + ACTIVE_KEY_CACHE_MS + 1000);
    expect((await tokens.jwks()).keys.map((key) => key.kid)).toEqual([newKid]);
    expect(await tokens.verifyAccessToken(old.token)).toMatchObject({ ok: false });
  });

  it('a later rotation deletes keys whose tokens have all expired', async () => {
    const clock = createFakeClock();
    const tokens = service(clock, 60);
    const { token } = await tokens.issueAccessToken(subject);
    await tokens.rotateSigningKey();
    clock.advance(10 * 60_000);
    const { kid } = await tokens.rotateSigningKey();
    const kids = (await store.sql.db.select().from(sqlSchema.signingKeys)).map((row) => row.kid);
    expect(kids).toEqual([kid]);
    expect(await tokens.verifyAccessToken(token)).toMatchObject({ ok: false });
  });

  it('refuses bad settings with a message naming the fix', () => {
    const base = { sql: store.sql, issuer, audience, lifetimeSeconds: 900 };
    expect(() => createTokenService({ ...base, lifetimeSeconds: 0 })).toThrow(/lifetime/);
    expect(() => createTokenService({ ...base, lifetimeSeconds: 1.5 })).toThrow(/whole number/);
    expect(() => createTokenService({ ...base, lifetimeSeconds: 90_000 })).toThrow(/86400/);
    expect(() => createTokenService({ ...base, audience: '' })).toThrow(/audience/);
    expect(() => createTokenService({ ...base, jwtSecret: '' })).toThrow(/JWT_SECRET/);
  });
});

describe('external tokens', () => {
  it('are only accepted when a JWT secret is configured', () => {
    expect(service().verifyExternalToken).toBeUndefined();
  });

  it('accept a minted HS256 token and read user_id, tenant_id, roles, exp', async () => {
    const clock = createFakeClock();
    const tokens = createTokenService({
      sql: store.sql,
      issuer,
      audience,
      lifetimeSeconds: 900,
      jwtSecret: secret,
      now: clock.now,
    });
    const token = await mintExternalToken(secret, {
      userId: 'ext-7',
      tenantId: 'acme',
      roles: ['reader', 'admin'],
      expiresInSeconds: 120,
      now: clock.now,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(await tokens.verifyExternalToken?.(token)).toEqual({
      ok: true,
      claims: {
        userId: 'ext-7',
        tenantId: 'acme',
        roles: ['reader', 'admin'],
        exp: Math.floor(clock.now() / 1000) + 120,
      },
    });
    // An access token is not an external token, and the other way round.
    const access = await tokens.issueAccessToken(subject);
    expect(await tokens.verifyExternalToken?.(access.token)).toMatchObject({ ok: false });
    expect(await tokens.verifyAccessToken(token)).toMatchObject({ ok: false });
  });
});
