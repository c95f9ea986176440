/** The token of `Authorization: Bearer <token>` (RFC 6750), or undefined. */
export function readBearerToken(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization === null) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
  return match?.[1];
}

/** Three base64url segments: a JWS compact serialization; anything else is an API key. */
export function isJwtShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
