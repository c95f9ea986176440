import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's peer, or with a trusted proxy in front the last
 * X-Forwarded-For entry (the one that proxy appended; earlier entries are client-supplied).
 */
export function resolveClientAddress(
  req: IncomingMessage | undefined,
  trustProxy: boolean,
): string {
  if (req === undefined) return 'unknown';
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const last = value?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
