import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { MAX_TOKEN_LENGTH } from './token-limits.js';

export type HeaderCheck =
  | { readonly ok: true; readonly header: ProtectedHeaderParameters }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks that do not need a key, before jose sees the token: size, shape, `crit`, algorithm.
 * `jku`, `x5u`, `jwk` and `x5c` are never read: keys come only from our own store or secret.
 */
export function inspectTokenHeader(token: string, algorithm: string): HeaderCheck {
  if (token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: `token longer than ${MAX_TOKEN_LENGTH} characters` };
  }
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed token header' };
  }
  if (header.crit !== undefined) {
    return { ok: false, reason: 'crit header present: no critical extension is supported' };
  }
  if (header.alg !== algorithm) {
    return { ok: false, reason: `algorithm ${String(header.alg)} not allowed (only ${algorithm})` };
  }
  if (header.b64 !== undefined) return { ok: false, reason: 'b64 header not allowed' };
  return { ok: true, header };
}
