import { randomBytes } from 'node:crypto';
import { formatKey, generateMasterKey } from '@cairn/crypto';

export type KeyEncoding = 'base64' | 'hex';

export interface KeygenOptions {
  readonly encoding: KeyEncoding;
  readonly jwtSecret: boolean;
}

/** Lines of a `.env` fragment holding fresh secrets; nothing is written anywhere else. */
export function createKeygenOutput(options: KeygenOptions): string[] {
  const lines = [`ENCRYPTION_KEY=${formatKey(generateMasterKey(), options.encoding)}`];
  if (options.jwtSecret) {
    // 48 bytes: comfortably above the 32-byte minimum that strict mode enforces for HS256.
    lines.push(`JWT_SECRET=${randomBytes(48).toString('base64url')}`);
  }
  return lines;
}

export function parseKeyEncoding(text: string): KeyEncoding {
  if (text === 'base64' || text === 'hex') return text;
  throw new Error(`--format must be "base64" or "hex" (got "${text.slice(0, 20)}")`);
}
