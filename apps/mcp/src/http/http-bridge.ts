import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiConnection } from '@cairn/client';
import { originsOf, type ToolDefaults } from '@cairn/mcp-tools';
import { createHttpsServer, type HttpsServerHandle } from '@cairn/server/tls';
import { getRequestListener } from '@hono/node-server';
import type { HttpSettings } from '../config.js';
import type { BridgeLogger } from '../logger.js';
import { createAuthenticator } from './authenticate.js';
import { createBridgeApp, MCP_PATH } from './create-bridge-app.js';
import { createJwtVerifier } from './jwt-verifier.js';

export interface HttpBridgeOptions {
  readonly connection: ApiConnection;
  readonly resource: URL;
  readonly settings: HttpSettings;
  readonly defaults: ToolDefaults;
  readonly version: string;
  readonly logger: BridgeLogger;
}

export interface RunningHttpBridge {
  /** The MCP endpoint, e.g. http://127.0.0.1:9301/mcp. */
  readonly url: URL;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Listens for Streamable HTTP (HTTPS when TLS is configured) and serves the bridge. */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<RunningHttpBridge> {
  const { settings, logger } = options;
  const scheme = settings.tls === undefined ? 'http' : 'https';
  let app: ReturnType<typeof createBridgeApp> | undefined;
  const listener = getRequestListener((request) => {
    if (app === undefined) return new Response('starting', { status: 503 });
    return app.fetch(request);
  });
  let tlsHandle: HttpsServerHandle | undefined;
  let server: Server;
  if (settings.tls === undefined) {
    server = createServer(listener);
  } else {
    tlsHandle = createHttpsServer(settings.tls, listener, logger);
    server = tlsHandle.server;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const local = new URL(`${scheme}://${host}:${port}${MCP_PATH}`);
  const endpoint = settings.publicUrl === undefined ? local : new URL(MCP_PATH, settings.publicUrl);
  const loopbackOnly = LOOPBACK.has(settings.host) && settings.publicUrl === undefined;
  app = createBridgeApp({
    connection: options.connection,
    authenticate: createAuthenticator({
      connection: options.connection,
      verifyJwt: createJwtVerifier({
        jwksUrl: new URL('/.well-known/jwks.json', options.connection.endpoint),
        resource: options.resource,
      }),
    }),
    endpoint,
    allowedOrigins: originsOf([endpoint, local, ...settings.allowedOrigins]),
    allowedHosts: loopbackOnly ? 'loopback' : 'any',
    defaults: options.defaults,
    version: options.version,
    logger,
  });
  logger.info(
    { url: local.href, endpoint: endpoint.href, api: options.connection.endpoint.origin },
    'listening',
  );
  return {
    url: local,
    async close() {
      tlsHandle?.close();
      await app?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
