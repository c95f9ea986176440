import { createSchema, createYoga } from 'graphql-yoga';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWKS_PATH, useJwks } from '../../src/app/plugins/use-jwks.js';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import type { TokenService } from '../../src/identity/tokens/token-service.js';
import { type KeyedStore, openKeyedStore } from './support/keyed-store.js';

const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }' });
let store: KeyedStore;
let tokens: TokenService;

beforeAll(async () => {
  store = await openKeyedStore();
  tokens = createTokenService({
    sql: store.sql,
    issuer: 'https://cairn.test',
    audience: 'https://cairn.test',
    lifetimeSeconds: 600,
  });
});
afterAll(async () => {
  await store.close();
});

const serve = (service: TokenService | undefined) =>
  createYoga({ schema, plugins: [useJwks({ tokens: service })], logging: false });

describe('GET /.well-known/jwks.json', () => {
  it('serves the public keys, briefly cacheable, that verify issued tokens', async () => {
    const response = await serve(tokens).fetch(`http://cairn.test${JWKS_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    // What an outside verifier (the MCP bridge) does with it.
    const { token } = await tokens.issueAccessToken({ userId: 'u', tenantId: null, roles: [] });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      algorithms: ['EdDSA'],
      audience: 'https://cairn.test',
    });
    expect(payload.sub).toBe('u');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const yoga = serve(tokens);
    const head = await yoga.fetch(`http://cairn.test${JWKS_PATH}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await yoga.fetch(`http://cairn.test${JWKS_PATH}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is not served outside managed mode', async () => {
    const response = await serve(undefined).fetch(`http://cairn.test${JWKS_PATH}`);
    expect(response.status).toBe(404);
  });
});
