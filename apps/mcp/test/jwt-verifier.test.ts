import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createJwtVerifier } from '../src/http/jwt-verifier.js';

// A real JWKS served on 127.0.0.1, as the Cairn API serves /.well-known/jwks.json.
const RESOURCE = new URL('https://cairn.example.com');
let server: Server;
let jwksUrl: URL;
let privateKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
  );
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sign = (claims: Record<string, unknown>, key: CryptoKey = privateKey) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('user-1')
    .sign(key);

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('createJwtVerifier', () => {
  test('accepts a token of this deployment (signature, expiry, audience with or without slash)', async () => {
    const verify = createJwtVerifier({ jwksUrl, resource: RESOURCE });
    await expect(
      verify(await sign({ aud: 'https://cairn.example.com/', exp: inOneHour() })),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      verify(await sign({ aud: 'https://cairn.example.com', exp: inOneHour() })),
    ).resolves.toMatchObject({
      ok: true,
      payload: { sub: 'user-1' },
    });
  });

  test('refuses a token issued for another audience', async () => {
    const verify = createJwtVerifier({ jwksUrl, resource: RESOURCE });
    await expect(
      verify(await sign({ aud: 'https://other.example.com', exp: inOneHour() })),
    ).resolves.toEqual({
      ok: false,
      reason: 'the access token was issued for another audience (resource)',
      unavailable: false,
    });
  });

  test('refuses an expired token, one without exp, and one signed by a stranger', async () => {
    const verify = createJwtVerifier({ jwksUrl, resource: RESOURCE, clockToleranceSeconds: 0 });
    const expired = await sign({ aud: RESOURCE.href, exp: Math.floor(Date.now() / 1000) - 60 });
    await expect(verify(expired)).resolves.toMatchObject({
      ok: false,
      reason: 'the access token has expired',
    });
    await expect(verify(await sign({ aud: RESOURCE.href }))).resolves.toMatchObject({ ok: false });
    const forged = await sign({ aud: RESOURCE.href, exp: inOneHour() }, strangerKey);
    await expect(verify(forged)).resolves.toMatchObject({
      ok: false,
      reason: 'the access token signature is not valid',
    });
  });

  test('refuses HS256 and alg none: the bridge has no shared secret', async () => {
    const verify = createJwtVerifier({ jwksUrl, resource: RESOURCE });
    const hs = await new SignJWT({ aud: RESOURCE.href, exp: inOneHour() })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(verify(hs)).resolves.toMatchObject({ ok: false, unavailable: false });
    const body = Buffer.from(JSON.stringify({ aud: RESOURCE.href, exp: inOneHour() })).toString(
      'base64url',
    );
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    await expect(verify(none)).resolves.toMatchObject({ ok: false, unavailable: false });
  });

  test('an unreachable JWKS is "unavailable", not an invalid token', async () => {
    const verify = createJwtVerifier({
      jwksUrl: new URL('http://127.0.0.1:1/.well-known/jwks.json'),
      resource: RESOURCE,
    });
    await expect(
      verify(await sign({ aud: RESOURCE.href, exp: inOneHour() })),
    ).resolves.toMatchObject({
      ok: false,
      unavailable: true,
    });
  });
});
