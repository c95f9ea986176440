import { type ApiConnection, createCairnClient, isCairnClientError } from '@cairn/client';
import type { HttpCaller } from '@cairn/mcp-tools';
import { isJwtShaped, readBearerToken } from './bearer.js';
import type { JwtVerifier } from './jwt-verifier.js';

export type Authentication =
  | { readonly ok: true; readonly caller: HttpCaller }
  | {
      readonly ok: false;
      readonly status: 401 | 429 | 503;
      /** RFC 6750 error code for WWW-Authenticate (absent when no credential was sent). */
      readonly error?: 'invalid_token' | 'invalid_request';
      readonly description: string;
    };

export interface AuthenticatorOptions {
  readonly connection: ApiConnection;
  readonly verifyJwt: JwtVerifier;
  /** How long the API's answer to "may an anonymous caller work?" is reused. */
  readonly anonymousProbeTtlMs?: number;
  readonly now?: () => number;
}

export type Authenticator = (request: Request) => Promise<Authentication>;

const unavailable = (description: string): Authentication => ({
  ok: false,
  status: 503,
  description,
});

/**
 * Who an HTTP request acts as. JWTs are verified here (signature, expiry, audience = the
 * deployment); API keys are checked by the API itself (`me`) when they open a session — later
 * requests of that session must present the same credential, which the session host checks —
 * and the API checks every credential again on every tool call anyway.
 */
export function createAuthenticator({
  connection,
  verifyJwt,
  anonymousProbeTtlMs = 30_000,
  now = Date.now,
}: AuthenticatorOptions): Authenticator {
  let anonymousProbe: { allowed: boolean; at: number } | undefined;

  const apiAllowsAnonymous = async (): Promise<boolean | undefined> => {
    if (anonymousProbe !== undefined && now() - anonymousProbe.at < anonymousProbeTtlMs)
      return anonymousProbe.allowed;
    try {
      const me = await createCairnClient(connection.executor()).me();
      // Only the disabled mode's built-in local user works without a credential.
      anonymousProbe = { allowed: me?.kind === 'local', at: now() };
    } catch (error) {
      if (
        !isCairnClientError(error) ||
        (error.code !== 'UNAUTHENTICATED' && error.code !== 'FORBIDDEN')
      )
        return undefined;
      anonymousProbe = { allowed: false, at: now() };
    }
    return anonymousProbe.allowed;
  };

  return async (request) => {
    const token = readBearerToken(request.headers);
    if (token === undefined) {
      if (request.headers.has('authorization')) {
        return {
          ok: false,
          status: 401,
          error: 'invalid_request',
          description: 'send the credential as Authorization: Bearer <token>',
        };
      }
      const allowed = await apiAllowsAnonymous();
      if (allowed === undefined) return unavailable('the Cairn API cannot be reached');
      if (!allowed)
        return {
          ok: false,
          status: 401,
          description: 'authentication required: send Authorization: Bearer <token>',
        };
      return {
        ok: true,
        caller: { credential: '', authInfo: { token: '', clientId: 'anonymous', scopes: [] } },
      };
    }
    if (isJwtShaped(token)) {
      const verification = await verifyJwt(token);
      if (!verification.ok) {
        if (verification.unavailable) return unavailable(verification.reason);
        return { ok: false, status: 401, error: 'invalid_token', description: verification.reason };
      }
      const { payload } = verification;
      return {
        ok: true,
        caller: {
          credential: token,
          authInfo: {
            token,
            clientId: typeof payload.sub === 'string' ? payload.sub : 'jwt',
            scopes: [],
            ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
          },
        },
      };
    }
    // An API key: a request inside a session is bound to the key that opened it; opening one
    // asks the API whether the key is valid at all, so a bad key gets the 401 of the spec.
    if (!request.headers.has('mcp-session-id')) {
      try {
        await createCairnClient(connection.executor(token)).me();
      } catch (error) {
        if (isCairnClientError(error) && error.code === 'UNAUTHENTICATED') {
          return {
            ok: false,
            status: 401,
            error: 'invalid_token',
            description: 'the API key is not valid',
          };
        }
        if (isCairnClientError(error) && error.code === 'RATE_LIMITED') {
          // The API locks out an address after repeated failures; behind the bridge that
          // address is the bridge's own, so its callers share the lockout (README, Known limits).
          return { ok: false, status: 429, description: error.message };
        }
        if (!isCairnClientError(error) || error.code !== 'FORBIDDEN')
          return unavailable('the Cairn API cannot be reached');
      }
    }
    return {
      ok: true,
      caller: { credential: token, authInfo: { token, clientId: 'api-key', scopes: [] } },
    };
  };
}
