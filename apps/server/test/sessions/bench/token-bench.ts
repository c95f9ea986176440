// Speed of the session paths, each against a baseline measured in the same run:
//   pnpm exec tsx --conditions=@cairn/source test/sessions/bench/token-bench.ts
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { verifyPassword } from '@cairn/crypto';
import { importJWK, jwtVerify } from 'jose';
import { createAccountBackoff } from '../../../src/identity/sessions/account-backoff.js';
import { createSessionService } from '../../../src/identity/sessions/create-session-service.js';
import { mintExternalToken } from '../../../src/identity/tokens/external-tokens.js';
import { openKeyedStore } from '../support/keyed-store.js';
import { createSessionIdentity, createTestUser } from '../support/session-identity.js';

async function measure(name: string, iterations: number, run: () => Promise<unknown>) {
  for (let warm = 0; warm < Math.min(50, iterations); warm += 1) await run();
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) await run();
  const elapsed = performance.now() - started;
  return { name, iterations, microsecondsPerOp: Math.round((elapsed * 1000) / iterations) };
}

type Named = readonly [string, () => Promise<unknown>];

/** Alternates two operations and reports each one's median time. */
async function measurePaired(iterations: number, first: Named, second: Named) {
  const times: [number[], number[]] = [[], []];
  for (let index = 0; index < iterations; index += 1) {
    for (const [slot, [, run]] of [first, second].entries()) {
      const started = performance.now();
      await run();
      times[slot]?.push(performance.now() - started);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] ?? 0;
  return [first, second].map(([name], slot) => ({
    name,
    iterations,
    microsecondsPerOp: Math.round(median(times[slot] ?? []) * 1000),
  }));
}

const store = await openKeyedStore();
try {
  const secret = 'bench-secret-bench-secret-bench-secret-0123';
  const fixture = createSessionIdentity(store.sql, Date.now, { jwtSecret: secret });
  const { tokens } = fixture.identity;
  const sessions = createSessionService({ identity: fixture.identity });
  const subject = { userId: 'bench-user', tenantId: 'acme', roles: ['writer' as const] };
  const { token } = await tokens.issueAccessToken(subject);
  const active = await store.sql.signingKeys.active();
  const { keys } = await tokens.jwks();
  const publicKey = await importJWK(keys[0] ?? {}, 'EdDSA');
  const external = await mintExternalToken(secret, {
    userId: 'u',
    tenantId: 't',
    roles: ['reader'],
    expiresInSeconds: 600,
  });
  const user = await createTestUser(store.sql, { tenant: { name: 'acme', role: 'writer' } });
  let refresh = (
    await sessions.login(user.username, user.password, {
      clientAddress: undefined,
      requestId: undefined,
    })
  ).refreshToken;
  const request = { clientAddress: undefined, requestId: undefined };
  const noBackoff = createSessionService({
    identity: fixture.identity,
    backoff: createAccountBackoff({ freeFailures: Number.MAX_SAFE_INTEGER }),
  });

  const results = [
    await measure('baseline: jose jwtVerify, EdDSA, no Cairn checks', 2000, () =>
      jwtVerify(token, publicKey, { algorithms: ['EdDSA'] }),
    ),
    await measure('verifyAccessToken (header checks, kid lookup, claims)', 2000, () =>
      tokens.verifyAccessToken(token),
    ),
    await measure('issueAccessToken (EdDSA sign)', 2000, () => tokens.issueAccessToken(subject)),
    await measure(
      'verifyExternalToken (HS256)',
      2000,
      () => tokens.verifyExternalToken?.(external) ?? Promise.resolve(),
    ),
    await measure('baseline: argon2id verifyPassword alone', 30, () =>
      verifyPassword(user.passwordHash, user.password),
    ),
    await measure('login (argon2id + SQL + sign)', 30, () =>
      sessions.login(user.username, user.password, request),
    ),
    // Failures measured without the per-account backoff (it would answer before the hash),
    // interleaved so that the load of a shared machine falls on both alike.
    ...(await measurePaired(
      40,
      [
        'failed login: wrong password (median)',
        () => noBackoff.login(user.username, 'wrong password', request).catch(() => undefined),
      ],
      [
        'failed login: unknown user, dummy hash (median)',
        () => noBackoff.login('no-such-user', user.password, request).catch(() => undefined),
      ],
    )),
    await measure('refreshSession (consume + issue in one transaction, sign)', 200, async () => {
      refresh = (await sessions.refreshSession(refresh, request)).refreshToken;
    }),
  ];
  await fixture.identity.audit.flush();
  const byName = Object.fromEntries(results.map((result) => [result.name, result]));
  const ratio = (a: string, b: string) =>
    Number(((byName[a]?.microsecondsPerOp ?? 0) / (byName[b]?.microsecondsPerOp ?? 1)).toFixed(2));
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'sessions',
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        signingKey: active?.algorithm,
        results,
        ratios: {
          verifyAccessTokenVsBareJose: ratio(
            'verifyAccessToken (header checks, kid lookup, claims)',
            'baseline: jose jwtVerify, EdDSA, no Cairn checks',
          ),
          loginVsArgon2: ratio(
            'login (argon2id + SQL + sign)',
            'baseline: argon2id verifyPassword alone',
          ),
          unknownUserVsWrongPassword: ratio(
            'failed login: unknown user, dummy hash (median)',
            'failed login: wrong password (median)',
          ),
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await store.close();
}
