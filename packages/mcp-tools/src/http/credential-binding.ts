import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Binds an MCP session to the credential that opened it without keeping the credential: only an
 * HMAC under a key that lives in this process's memory is stored, so a heap dump or a log of the
 * session table yields nothing that authenticates anywhere.
 */
export interface CredentialBinder {
  bind(credential: string): Buffer;
  matches(binding: Buffer, credential: string): boolean;
}

export function createCredentialBinder(key: Buffer = randomBytes(32)): CredentialBinder {
  const digest = (credential: string) =>
    createHmac('sha256', key).update(credential, 'utf8').digest();
  return {
    bind: digest,
    matches: (binding, credential) => timingSafeEqual(binding, digest(credential)),
  };
}
