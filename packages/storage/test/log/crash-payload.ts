import { createHash } from 'node:crypto';

/** A payload whose body is derived from its label, so a half-written one cannot pass as whole. */
export function crashPayload(label: string): Buffer {
  const digest = createHash('sha256').update(label).digest('hex');
  const length = 10 + (Number.parseInt(digest.slice(0, 4), 16) % 300);
  return Buffer.from(`${label}:${digest.repeat(Math.ceil(length / 64)).slice(0, length)}`);
}

export function isWholeCrashPayload(payload: Uint8Array): boolean {
  const text = Buffer.from(payload).toString('utf8');
  const label = text.slice(0, text.indexOf(':'));
  return label !== '' && crashPayload(label).equals(Buffer.from(payload));
}
