import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

export interface JwtVerifierOptions {
  /** The configured API's JWKS (`<CAIRN_URL origin>/.well-known/jwks.json`): never a URL from the token. */
  readonly jwksUrl: URL;
  /** The deployment's resource identifier (its PUBLIC_URL): the only audience accepted. */
  readonly resource: URL;
  /** Allowed clock difference for exp/nbf, in seconds. */
  readonly clockToleranceSeconds?: number;
}

export type JwtVerification =
  | { readonly ok: true; readonly payload: JWTPayload }
  | { readonly ok: false; readonly reason: string; readonly unavailable: boolean };

// Asymmetric algorithms only: the bridge holds no shared secret, and `none` never passes.
const ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];

export type JwtVerifier = (token: string) => Promise<JwtVerification>;

/** Verifies signature (via the API's JWKS, cached by jose), expiry and audience locally. */
export function createJwtVerifier({
  jwksUrl,
  resource,
  clockToleranceSeconds = 30,
}: JwtVerifierOptions): JwtVerifier {
  const keys = createRemoteJWKSet(jwksUrl, { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  // PUBLIC_URL may be written with or without its trailing slash; both name one resource.
  const href = resource.href;
  const audience = href.endsWith('/') ? [href, href.slice(0, -1)] : [href, `${href}/`];
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: clockToleranceSeconds,
      });
      return { ok: true, payload };
    } catch (error) {
      // A JWKS that cannot be fetched says nothing about the token: 503, not 401.
      const unavailable =
        error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError);
      return {
        ok: false,
        reason: unavailable
          ? 'the deployment keys (JWKS) could not be fetched'
          : describeJwtFailure(error),
        unavailable,
      };
    }
  };
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'aud'
      ? 'the access token was issued for another audience (resource)'
      : `the access token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'the access token was not signed by a key of this deployment';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the access token signature is not valid';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the access token uses an algorithm that is not allowed';
  return 'the access token is not valid';
}
