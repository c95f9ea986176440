import { openApiConnection, readCaFile } from '@cairn/client';
import { isTlsConfigError } from '@cairn/server/tls';
import { type BridgeConfig, parseBridgeConfig } from './config.js';
import { isBridgeError } from './errors.js';
import { startHttpBridge } from './http/http-bridge.js';
import { createBridgeLogger } from './logger.js';
import { startStdioBridge } from './stdio-bridge.js';
import { VERSION } from './version.js';

/** Composition root: config → connection → transport. The only place that exits the process. */
export async function main(argv: readonly string[]): Promise<void> {
  const logger = createBridgeLogger();
  let config: BridgeConfig;
  try {
    config = parseBridgeConfig(argv);
  } catch (error) {
    if (isBridgeError(error)) {
      process.stderr.write(`cairn-mcp: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  try {
    const ca = config.caFile === undefined ? undefined : await readCaFile(config.caFile);
    const connection = openApiConnection({
      url: config.apiUrl,
      timeoutMs: config.timeoutMs,
      ...(ca === undefined ? {} : { ca }),
    });
    const defaults = {
      ...(config.database === undefined ? {} : { database: config.database }),
      ...(config.tenant === undefined ? {} : { tenant: config.tenant }),
    };
    if (config.transport === 'stdio') {
      const server = await startStdioBridge({
        connection,
        token: config.token,
        defaults,
        version: VERSION,
      });
      server.server.onclose = () => {
        void connection.close().finally(() => process.exit(0));
      };
      return;
    }
    if (config.token !== undefined) {
      logger.warn(
        { event: 'config.ignored', variable: 'CAIRN_TOKEN' },
        'CAIRN_TOKEN is ignored with --http: each client sends its own bearer',
      );
    }
    const bridge = await startHttpBridge({
      connection,
      resource: config.resource,
      settings: config.http,
      defaults,
      version: VERSION,
      logger,
    });
    const stop = () => {
      void bridge
        .close()
        .then(() => connection.close())
        .finally(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    if (
      isTlsConfigError(error) ||
      (error instanceof Error && 'code' in error && error.code === 'BAD_CONFIG')
    ) {
      process.stderr.write(`cairn-mcp: ${error.message}\n`);
      process.exit(2);
    }
    if (
      error instanceof Error &&
      'code' in error &&
      (error.code === 'EADDRINUSE' || error.code === 'EACCES')
    ) {
      process.stderr.write(`cairn-mcp: cannot listen on MCP_PORT: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
