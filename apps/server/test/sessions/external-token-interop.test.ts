import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTokenForCommand, parseExpiresIn, parseRoleList } from '../../src/commands/token.js';
import { createTokenService } from '../../src/identity/tokens/create-token-service.js';
import type { TokenService } from '../../src/identity/tokens/token-service.js';
import { type KeyedStore, openKeyedStore } from './support/keyed-store.js';
import { hasPyJwt, runPyJwt } from './support/pyjwt.js';
import { runCairn } from './support/run-cli.js';

const secret = 'shared-between-cairn-and-the-other-system-0123456789';
// Skipped only on a developer machine without python3-jwt; on CI a missing PyJWT fails.
const pyJwtAvailable = await hasPyJwt();
const skipPyJwt = !pyJwtAvailable && (process.env.CI ?? '') === '';

let store: KeyedStore;
let tokens: TokenService;
let directory: string;
beforeAll(async () => {
  store = await openKeyedStore();
  tokens = createTokenService({
    sql: store.sql,
    issuer: 'https://cairn.test',
    audience: 'https://cairn.test',
    lifetimeSeconds: 900,
    jwtSecret: secret,
  });
  directory = await mkdtemp(join(tmpdir(), 'cairn-token-cli-'));
});
afterAll(async () => {
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

describe('external tokens from another system', () => {
  it.skipIf(skipPyJwt)(
    'accepts what PyJWT jwt.encode(payload, secret, "HS256") makes',
    async () => {
      const exp = Math.floor(Date.now() / 1000) + 300;
      const token = await runPyJwt('print(jwt.encode(data["payload"], data["secret"], "HS256"))', {
        secret,
        payload: { user_id: 'py-user', tenant_id: 'acme', roles: ['reader', 'writer'], exp },
      });
      expect(await tokens.verifyExternalToken?.(token)).toEqual({
        ok: true,
        claims: { userId: 'py-user', tenantId: 'acme', roles: ['reader', 'writer'], exp },
      });
      const forged = await runPyJwt('print(jwt.encode(data["payload"], data["secret"], "HS256"))', {
        secret: `${secret}-but-another-one`,
        payload: { user_id: 'py-user', tenant_id: 'acme', roles: ['admin'], exp },
      });
      expect(await tokens.verifyExternalToken?.(forged)).toMatchObject({ ok: false });
    },
  );

  it.skipIf(skipPyJwt)(
    'PyJWT honours nbf and iat it sets; expired PyJWT tokens are refused',
    async () => {
      const now = Math.floor(Date.now() / 1000);
      const mint = (payload: Record<string, unknown>) =>
        runPyJwt('print(jwt.encode(data["payload"], data["secret"], "HS256"))', {
          secret,
          payload: { user_id: 'u', tenant_id: 't', roles: ['reader'], ...payload },
        });
      expect(await tokens.verifyExternalToken?.(await mint({ exp: now - 120 }))).toMatchObject({
        ok: false,
      });
      expect(
        await tokens.verifyExternalToken?.(await mint({ exp: now + 600, nbf: now + 300 })),
      ).toMatchObject({ ok: false });
      expect(
        await tokens.verifyExternalToken?.(await mint({ exp: now + 600, iat: now + 300 })),
      ).toMatchObject({ ok: false, reason: 'iat in the future' });
      expect(
        await tokens.verifyExternalToken?.(await mint({ exp: now + 600, iat: now, nbf: now })),
      ).toMatchObject({ ok: true });
    },
  );
});

describe('cairn token', () => {
  it('prints a token the server accepts (and PyJWT decodes), from JWT_SECRET or --secret-file', async () => {
    const fromEnv = await runCairn(
      [
        'token',
        '--user-id',
        'u1',
        '--tenant',
        'acme',
        '--roles',
        'writer,admin',
        '--expires-in',
        '60',
      ],
      { JWT_SECRET: secret },
    );
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr).toMatch(/^Expires \d{4}-/);
    const token = fromEnv.stdout.trim();
    const check = await tokens.verifyExternalToken?.(token);
    expect(check).toMatchObject({
      ok: true,
      claims: { userId: 'u1', tenantId: 'acme', roles: ['writer', 'admin'] },
    });
    expect(check?.ok && check.claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
    if (!skipPyJwt) {
      const decoded = JSON.parse(
        await runPyJwt(
          'print(json.dumps(jwt.decode(data["token"], data["secret"], algorithms=["HS256"])))',
          { token, secret },
        ),
      );
      expect(decoded).toMatchObject({
        user_id: 'u1',
        tenant_id: 'acme',
        roles: ['writer', 'admin'],
      });
      expect(decoded.exp - decoded.iat).toBe(60);
    }

    const file = join(directory, 'jwt-secret');
    await writeFile(file, `${secret}\n`);
    const fromFile = await runCairn(
      ['token', '--user-id', 'u2', '--tenant', 'acme', '--roles', 'reader', '--secret-file', file],
      {},
    );
    expect(fromFile.code).toBe(0);
    expect(await tokens.verifyExternalToken?.(fromFile.stdout.trim())).toMatchObject({
      ok: true,
      claims: { userId: 'u2' },
    });
  });

  it('refuses bad usage with one line and exit code 2', async () => {
    const badRole = await runCairn(
      ['token', '--user-id', 'u', '--tenant', 't', '--roles', 'reader,owner'],
      { JWT_SECRET: secret },
    );
    expect({ code: badRole.code, stdout: badRole.stdout }).toEqual({ code: 2, stdout: '' });
    expect(badRole.stderr).toMatch(/"owner" is not a role; use reader, writer, admin/);
    const noSecret = await runCairn(
      ['token', '--user-id', 'u', '--tenant', 't', '--roles', 'reader'],
      {},
    );
    expect({ code: noSecret.code, stdout: noSecret.stdout }).toEqual({ code: 2, stdout: '' });
    expect(noSecret.stderr).toBe(
      'cairn: no secret: pass --secret-file <file> or set JWT_SECRET (the same one the server has)\n',
    );
  });

  it('parses roles and lifetimes strictly, naming the fix', () => {
    expect(parseRoleList('reader, writer,reader')).toEqual(['reader', 'writer']);
    expect(() => parseRoleList('')).toThrow(/at least one of reader, writer, admin/);
    expect(() => parseRoleList('superuser')).toThrow(/"superuser" is not a role/);
    expect(parseExpiresIn('60')).toBe(60);
    for (const bad of ['0', '-5', '1.5', '2592001', 'soon', '']) {
      expect(() => parseExpiresIn(bad)).toThrow(/whole seconds from 1 to 2592000/);
    }
  });

  it('refuses an unreadable or empty secret file and empty claims; warns on a short secret', async () => {
    const base = { userId: 'u', tenant: 't', roles: ['reader' as const], expiresIn: 60 };
    const missing = join(directory, 'missing');
    await expect(mintTokenForCommand({ ...base, secretFile: missing })).rejects.toThrow(
      /--secret-file: cannot read .*missing \(ENOENT\)/,
    );
    const empty = join(directory, 'empty');
    await writeFile(empty, '\n');
    await expect(mintTokenForCommand({ ...base, secretFile: empty })).rejects.toThrow(/is empty/);
    const short = join(directory, 'short');
    await writeFile(short, 'tiny');
    const minted = await mintTokenForCommand({ ...base, secretFile: short });
    expect(minted.warnings).toEqual([expect.stringMatching(/shorter than 32 bytes/)]);
    await expect(mintTokenForCommand({ ...base, userId: ' ', secretFile: short })).rejects.toThrow(
      /--user-id must not be empty/,
    );
    await expect(mintTokenForCommand({ ...base, tenant: '', secretFile: short })).rejects.toThrow(
      /--tenant must not be empty/,
    );
  });
});
