import { type ApiConnection, createCairnClient } from '@cairn/client';
import {
  createCairnMcpServer,
  createSessionHost,
  isAllowedHost,
  isAllowedOrigin,
  type ToolDefaults,
} from '@cairn/mcp-tools';
import type { BridgeLogger } from '../logger.js';
import type { Authenticator } from './authenticate.js';
import {
  bearerChallenge,
  createResourceMetadata,
  METADATA_PATH,
  metadataUrls,
} from './resource-metadata.js';

export const MCP_PATH = '/mcp';

export interface BridgeAppDependencies {
  readonly connection: ApiConnection;
  readonly authenticate: Authenticator;
  /** The MCP endpoint as clients reach it (metadata `resource`, own origin for Origin checks). */
  readonly endpoint: URL;
  readonly allowedOrigins: ReadonlySet<string>;
  /** Host header names accepted; 'loopback' when listening on loopback only. */
  readonly allowedHosts: ReadonlySet<string> | 'loopback' | 'any';
  readonly defaults: ToolDefaults;
  readonly version: string;
  readonly logger: BridgeLogger;
}

export interface BridgeApp {
  fetch(request: Request): Promise<Response>;
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });

/** Pure composition of the Streamable HTTP bridge: no port, no environment. */
export function createBridgeApp(deps: BridgeAppDependencies): BridgeApp {
  const metadata = createResourceMetadata({ endpoint: deps.endpoint });
  const { root: metadataUrl, forPath } = metadataUrls(deps.endpoint);
  const sessions = createSessionHost({
    createServer: () =>
      createCairnMcpServer({
        version: deps.version,
        defaults: deps.defaults,
        // Each call carries its own caller's credential to the one configured API.
        clientFor: (extra) => {
          const token = extra.authInfo?.token;
          return createCairnClient(deps.connection.executor(token === '' ? undefined : token));
        },
      }),
  });

  return {
    async fetch(request) {
      const url = new URL(request.url);
      if (!isAllowedHost(request, deps.allowedHosts)) {
        return json(403, { error: 'forbidden', error_description: 'this Host is not served here' });
      }
      if (
        request.method === 'GET' &&
        (url.pathname === METADATA_PATH || url.pathname === forPath.pathname)
      ) {
        return json(200, metadata, { 'access-control-allow-origin': '*' });
      }
      if (request.method === 'GET' && url.pathname === '/health')
        return json(200, { status: 'ok', version: deps.version });
      if (url.pathname !== MCP_PATH)
        return json(404, {
          error: 'not_found',
          error_description: `the MCP endpoint is ${MCP_PATH}`,
        });
      if (!isAllowedOrigin(request, deps.allowedOrigins)) {
        return json(403, {
          error: 'forbidden',
          error_description: 'this Origin may not use the MCP endpoint',
        });
      }
      const authentication = await deps.authenticate(request);
      if (!authentication.ok) {
        deps.logger.warn(
          {
            event: 'mcp.auth_failed',
            status: authentication.status,
            reason: authentication.description,
          },
          'request refused',
        );
        const headers: Record<string, string> =
          authentication.status === 401
            ? {
                'www-authenticate': bearerChallenge(
                  metadataUrl,
                  authentication.error,
                  authentication.description,
                ),
              }
            : { 'retry-after': authentication.status === 429 ? '60' : '5' };
        return json(
          authentication.status,
          {
            error:
              authentication.error ??
              (authentication.status === 401
                ? 'unauthorized'
                : authentication.status === 429
                  ? 'rate_limited'
                  : 'unavailable'),
            error_description: authentication.description,
          },
          headers,
        );
      }
      return sessions.handle(request, authentication.caller);
    },
    close: () => sessions.close(),
  };
}
