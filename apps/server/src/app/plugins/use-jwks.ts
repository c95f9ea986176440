import type { Plugin } from 'graphql-yoga';
import type { TokenService } from '../../identity/tokens/token-service.js';

export const JWKS_PATH = '/.well-known/jwks.json';

export interface JwksOptions {
  /** Undefined outside managed mode: the path is then not served (404 like any unknown path). */
  readonly tokens: Pick<TokenService, 'jwks'> | undefined;
  /**
   * Seconds clients and proxies may cache the key set. Short, because a rotated-in key must
   * reach verifiers before tokens signed with it do; they refetch on an unknown kid anyway.
   */
  readonly maxAgeSeconds?: number;
}

/**
 * `GET /.well-known/jwks.json`: the public keys that verify Cairn's access tokens (RFC 7517).
 * Public by nature, so it needs no credential; place it before authentication.
 */
export function useJwks({ tokens, maxAgeSeconds = 300 }: JwksOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (tokens === undefined || url.pathname !== JWKS_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const body = JSON.stringify(await tokens.jwks());
      endResponse(
        new Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': 'application/jwk-set+json; charset=utf-8',
            'cache-control': `public, max-age=${maxAgeSeconds}`,
          },
        }),
      );
    },
  };
}
