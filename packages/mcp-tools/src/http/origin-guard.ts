/**
 * DNS-rebinding defence for an HTTP MCP endpoint: a browser page on another origin may not
 * drive it. Requests without Origin (every non-browser MCP client) pass; a browser's Origin
 * must be one of the endpoint's own origins.
 */
export function isAllowedOrigin(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  return allowedOrigins.has(origin.toLowerCase());
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * On a loopback listener the Host header must name loopback: a rebinding attack arrives with the
 * attacker's host name even when Origin is absent or forged by a non-browser proxy.
 */
export function isAllowedHost(
  request: Request,
  allowedHosts: ReadonlySet<string> | 'loopback' | 'any',
): boolean {
  if (allowedHosts === 'any') return true;
  const host = request.headers.get('host');
  if (host === null) return false;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return allowedHosts === 'loopback' ? LOOPBACK_HOSTS.has(name) : allowedHosts.has(name);
}

/** Lower-cased origins of the given URLs (scheme://host[:port]). */
export function originsOf(urls: readonly (string | URL)[]): ReadonlySet<string> {
  return new Set(urls.map((url) => new URL(url).origin.toLowerCase()));
}
