import { createHmac } from 'node:crypto';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT (`alg: none` style): header and payload as given, empty signature. */
export function unsignedJwt(header: Record<string, unknown>, payload: Record<string, unknown>) {
  return `${encode(header)}.${encode(payload)}.`;
}

/** An HS256 JWT made by hand with any bytes as the key (the key-confusion attack). */
export function hmacJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: Uint8Array | string,
): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = createHmac('sha256', key).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** The same token with its payload replaced and the original signature kept. */
export function swapPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encode(payload)}.${signature}`;
}
