import type { Plugin } from 'graphql-yoga';
// The same value the HTTPS server sets, so both layers agree.
import { HSTS_HEADER_VALUE } from '../../tls/index.js';

/** Headers every response carries; HSTS only when the server itself speaks HTTPS. */
export function useSecurityHeaders({ https }: { https: boolean }): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('X-Content-Type-Options', 'nosniff');
      response.headers.set('Referrer-Policy', 'no-referrer');
      if (https)
        // Only ever sent over HTTPS (RFC 6797 §7.2).
        response.headers.set('Strict-Transport-Security', HSTS_HEADER_VALUE);
    },
  };
}
