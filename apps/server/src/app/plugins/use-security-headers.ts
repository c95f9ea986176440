import type { Plugin } from 'graphql-yoga';

// One year, as browsers' preload lists expect; only ever sent over HTTPS (RFC 6797 §7.2).
const HSTS = 'max-age=31536000; includeSubDomains';

/** Headers every response carries; HSTS only when the server itself speaks HTTPS. */
export function useSecurityHeaders({ https }: { https: boolean }): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('X-Content-Type-Options', 'nosniff');
      response.headers.set('Referrer-Policy', 'no-referrer');
      if (https) response.headers.set('Strict-Transport-Security', HSTS);
    },
  };
}
