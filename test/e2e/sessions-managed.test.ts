import { createPublicKey, verify } from 'node:crypto';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTempDataDir, runCairn, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
const ENCRYPTION_KEY = formatKey(generateMasterKey());
const JWT_SECRET = 'e2e-external-secret-0123456789abcdef-0123456789';
const env = () => ({
  DATA_DIR: data.dir,
  ENCRYPTION_KEY,
  AUTH_ENABLED: 'true',
  JWT_SECRET,
  SUPERUSER: 'root',
  SUPERUSER_PASSWORD: 'e2e root password, long enough',
});

beforeAll(async () => {
  data = await createTempDataDir();
});
afterAll(async () => data?.remove());

const LOGIN =
  'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken expiresAt } }';
const REFRESH =
  'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresAt } }';
const ME = '{ me { id name kind } }';

interface Jwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
}

/** Checks an EdDSA JWT against a JWKS the way any outside verifier would, with node:crypto. */
function verifiedBy(token: string, keys: Jwk[]): boolean {
  const [header, payload, signature] = token.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header ?? '', 'base64url').toString());
  const jwk = keys.find((key) => key.kid === kid);
  if (jwk === undefined || alg !== 'EdDSA') return false;
  return verify(
    null,
    Buffer.from(`${header}.${payload}`),
    createPublicKey({ key: { ...jwk }, format: 'jwk' }),
    Buffer.from(signature ?? '', 'base64url'),
  );
}

test('login, JWKS, refresh rotation with reuse detection, logout, external tokens, restart', async () => {
  const first = await startServer(env());
  let accessToken: string;
  let kid: string;
  try {
    // Anonymous callers may log in; the answer never says which part was wrong.
    const wrong = await first.graphql(LOGIN, { u: 'root', p: 'not the password' });
    expect(wrong.body.errors?.[0]).toMatchObject({
      message: 'invalid username or password',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const unknown = await first.graphql(LOGIN, { u: 'nobody', p: 'whatever it is' });
    expect(unknown.body.errors?.[0]?.message).toBe('invalid username or password');

    const login = await first.graphql(LOGIN, { u: 'root', p: 'e2e root password, long enough' });
    expect(login.body.errors).toBeUndefined();
    const session = login.body.data?.login as { accessToken: string; refreshToken: string };
    accessToken = session.accessToken;

    const jwksResponse = await fetch(`${first.url}/.well-known/jwks.json`);
    expect(jwksResponse.status).toBe(200);
    const { keys } = (await jwksResponse.json()) as { keys: Jwk[] };
    expect(keys.map((key) => [key.kty, key.crv])).toEqual([['OKP', 'Ed25519']]);
    expect(verifiedBy(accessToken, keys)).toBe(true);
    kid = keys[0]?.kid ?? '';

    const me = await first.graphql(ME, {}, { authorization: `Bearer ${accessToken}` });
    expect(me.body.data?.me).toMatchObject({ name: 'root', kind: 'user' });

    const refreshed = await first.graphql(REFRESH, { t: session.refreshToken });
    const next = refreshed.body.data?.refreshSession as {
      accessToken: string;
      refreshToken: string;
    };
    expect(next.refreshToken).not.toBe(session.refreshToken);
    // Replaying the spent token fails and ends the whole session.
    const replay = await first.graphql(REFRESH, { t: session.refreshToken });
    expect(replay.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const afterReplay = await first.graphql(REFRESH, { t: next.refreshToken });
    expect(afterReplay.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const again = await first.graphql(LOGIN, { u: 'root', p: 'e2e root password, long enough' });
    const other = again.body.data?.login as { refreshToken: string };
    const logout = await first.graphql('mutation ($t: String!) { logout(refreshToken: $t) }', {
      t: other.refreshToken,
    });
    expect(logout.body.data).toEqual({ logout: true });
    expect((await first.graphql(REFRESH, { t: other.refreshToken })).body.errors).toHaveLength(1);

    // A token minted by `cairn token` with the same secret is an external-token principal.
    const minted = await runCairn(
      ['token', '--user-id', 'ext-1', '--tenant', 'acme', '--roles', 'reader'],
      { JWT_SECRET },
    );
    expect(minted.code).toBe(0);
    const external = await first.graphql(
      ME,
      {},
      {
        authorization: `Bearer ${minted.stdout.trim()}`,
      },
    );
    expect(external.body.data?.me).toMatchObject({ kind: 'external-token' });
  } finally {
    expect(await first.stop()).toBe(0);
  }

  // The signing key is stored (sealed): after a restart the same key signs and verifies.
  const second = await startServer(env());
  try {
    const { keys } = (await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as {
      keys: Jwk[];
    };
    expect(keys.map((key) => key.kid)).toEqual([kid]);
    const me = await second.graphql(ME, {}, { authorization: `Bearer ${accessToken}` });
    expect(me.body.data?.me).toMatchObject({ name: 'root', kind: 'user' });
  } finally {
    expect(await second.stop()).toBe(0);
  }
});
