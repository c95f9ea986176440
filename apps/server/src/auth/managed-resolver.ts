import { API_KEY_PREFIX } from '@cairn/crypto';
import type { ApiKeyRow } from '@cairn/storage';
import { CairnError } from '../errors.js';
import { createExpiringCache } from '../identity/expiring-cache.js';
import type { Identity } from '../identity/identity.js';
import {
  type AccessTokenClaims,
  looksLikeJwt,
  type TokenCheck,
} from '../identity/tokens/token-service.js';
import type { DirectoryUser } from '../identity/users/user-directory.js';
import {
  ANONYMOUS_PRINCIPAL,
  type Principal,
  type PrincipalResolution,
  type RequestFacts,
  type ResolvePrincipal,
  readPresentedCredential,
} from './principal.js';

/**
 * The one answer to every refused credential: which check failed is for the audit trail and
 * the lockout count, never for the caller (it would tell a guesser how close they came).
 */
export const INVALID_CREDENTIAL_MESSAGE =
  'the credential is not valid; send a valid API key or access token';

type Credential = 'api-key' | 'access-token' | 'external-token' | 'unknown';

/**
 * Managed mode: no credential is the anonymous caller (who may only log in or bootstrap, see
 * useAnonymousGate); an API key, an access token, or (with JWT_SECRET) an external HS256 token
 * becomes a principal built from what the store says now.
 */
export function createManagedResolver(identity: Identity, now: () => number = Date.now) {
  // Verifying an EdDSA signature is most of what a token costs a request; a token's signature
  // and claims never change, so a success is reused for ≤ 1 s (expiry and the user's state are
  // still checked on every request, below).
  const verifiedTokens = createExpiringCache<string, Promise<TokenCheck<AccessTokenClaims>>>({
    ttlMs: 1000,
    maxEntries: 10_000,
    now,
  });
  const verifyAccessToken = (raw: string) => {
    let pending = verifiedTokens.get(raw);
    if (pending === undefined) {
      pending = identity.tokens.verifyAccessToken(raw);
      verifiedTokens.set(raw, pending);
      pending.then(
        (check) => {
          if (!check.ok) verifiedTokens.delete(raw);
        },
        () => verifiedTokens.delete(raw),
      );
    }
    return pending;
  };

  const refuse = (
    facts: RequestFacts,
    credential: Credential,
    reason: string,
    target?: string,
  ): PrincipalResolution => {
    identity.audit.record({
      action: 'auth.failure',
      outcome: 'failure',
      actor: null,
      target: target ?? null,
      clientIp: facts.clientAddress,
      requestId: facts.requestId ?? null,
      details: { credential, reason },
    });
    return { ok: false, error: new CairnError('UNAUTHENTICATED', INVALID_CREDENTIAL_MESSAGE) };
  };

  const fromApiKey = async (raw: string, facts: RequestFacts): Promise<PrincipalResolution> => {
    const check = await identity.apiKeys.check(raw);
    if (!check.ok) {
      return refuse(facts, 'api-key', check.reason, check.keyId && `apikey:${check.keyId}`);
    }
    const key = check.key;
    const owner = key.ownerUserId === null ? undefined : await identity.users.load(key.ownerUserId);
    if (owner === undefined) return refuse(facts, 'api-key', 'owner-missing', `apikey:${key.id}`);
    if (!owner.row.isActive) {
      return refuse(facts, 'api-key', 'owner-inactive', `apikey:${key.id}`);
    }
    return { ok: true, principal: apiKeyPrincipal(key, owner) };
  };

  const fromExternalToken = async (
    raw: string,
    facts: RequestFacts,
    verify: NonNullable<Identity['tokens']['verifyExternalToken']>,
  ): Promise<PrincipalResolution> => {
    const check = await verify(raw);
    if (!check.ok) return refuse(facts, 'external-token', check.reason);
    const { userId, tenantId, roles } = check.claims;
    return {
      ok: true,
      principal: Object.freeze({
        id: `external:${userId}`,
        name: userId,
        kind: 'external-token',
        tenant: tenantId,
        access: Object.freeze({ kind: 'external-token', subject: userId, tenant: tenantId, roles }),
      }),
    };
  };

  const fromAccessToken = async (
    raw: string,
    facts: RequestFacts,
  ): Promise<PrincipalResolution> => {
    const check = await verifyAccessToken(raw);
    if (!check.ok) return refuse(facts, 'access-token', check.reason);
    const { claims } = check;
    const user = await identity.users.load(claims.sub);
    const target = `user:${claims.sub}`;
    if (user === undefined) return refuse(facts, 'access-token', 'user-missing', target);
    if (!user.row.isActive) return refuse(facts, 'access-token', 'user-inactive', target);
    // Deactivation and password change move sessionsValidAfter: every older token is dead.
    // iat has whole seconds, so a token from the same second as the change is refused too.
    if (claims.iat * 1000 < user.row.sessionsValidAfter.getTime()) {
      return refuse(facts, 'access-token', 'session-ended', target);
    }
    if (claims.exp * 1000 <= now()) return refuse(facts, 'access-token', 'expired', target);
    return {
      ok: true,
      principal: Object.freeze({
        id: user.row.id,
        name: user.row.username,
        kind: 'user',
        tenant: claims.tenantId ?? user.identity.memberships[0]?.tenant ?? null,
        access: Object.freeze({ kind: 'user', ...user.identity }),
      }),
    };
  };

  const resolve: ResolvePrincipal = (request, facts) => {
    const raw = readPresentedCredential(request.headers);
    if (raw === undefined) return { ok: true, principal: ANONYMOUS_PRINCIPAL };
    if (raw.startsWith(API_KEY_PREFIX)) return fromApiKey(raw, facts);
    if (looksLikeJwt(raw)) {
      const verifyExternal = identity.tokens.verifyExternalToken;
      if (verifyExternal !== undefined && readJwtAlgorithm(raw) === 'HS256') {
        return fromExternalToken(raw, facts, verifyExternal);
      }
      return fromAccessToken(raw, facts);
    }
    return refuse(facts, 'unknown', 'not-an-api-key-or-jwt');
  };
  return resolve;
}

function apiKeyPrincipal(key: ApiKeyRow, owner: DirectoryUser): Principal {
  return Object.freeze({
    id: `key:${key.id}`,
    name: key.name,
    kind: 'api-key',
    tenant: key.tenants?.[0] ?? owner.identity.memberships[0]?.tenant ?? null,
    access: Object.freeze({
      kind: 'api-key',
      keyId: key.id,
      owner: owner.identity,
      role: key.role,
      databases: key.databases,
      tenants: key.tenants,
    }),
  });
}

/** The `alg` of a JWT's header, or undefined when the header is not readable JSON. */
export function readJwtAlgorithm(token: string): string | undefined {
  const header = token.slice(0, token.indexOf('.'));
  if (header.length === 0 || header.length > 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    const alg = (parsed as { alg?: unknown } | null)?.alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}
