// The composition root: load config, build dependencies, listen, shut down. The only place
// that exits the process.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createKeyRing, type KeyRing } from '@cairn/crypto';
import { isStorageError, openSqlStore, type SqlStore } from '@cairn/storage';
import { type App, createApp } from './app/create-app.js';
import { createPrincipalResolver } from './auth/principal.js';
import { type Config, ConfigError, parseConfig, readEnvironment } from './config.js';
import { type DatabaseRegistry, openDatabaseRegistry } from './databases/registry.js';
import type { Identity } from './identity/identity.js';
import { deploymentUrl, type ManagedMode, openManagedMode } from './identity/managed-mode.js';
import { loadOrCreateLocalMasterKey } from './keys/local-master-key.js';
import { knowledgeSettingsFrom } from './knowledge/settings.js';
import { announce } from './observability/announce.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createHttpsServer, isTlsConfigError } from './tls/index.js';
import { readVersion } from './version.js';

export const EXIT_RUNTIME = 1;
export const EXIT_CONFIG = 2;

export interface ServeOptions {
  readonly envFile?: string;
}

/** A start-up failure the operator fixes in configuration: one line, exit code 2. */
class StartupError extends Error {}

export async function serve(options: ServeOptions = {}): Promise<void> {
  let config: Config;
  let warnings: readonly string[];
  try {
    ({ config, warnings } = parseConfig(readEnvironment(options.envFile)));
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`cairn: ${problem}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of warnings) logger.warn({ setting: warning.split(':')[0] }, warning);
  try {
    await start(config, logger);
  } catch (error) {
    if (error instanceof StartupError) {
      logger.fatal(error.message);
      process.stderr.write(`cairn: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    logger.fatal({ err: error }, 'start failed');
    process.stderr.write(`cairn: start failed: ${(error as Error).message}\n`);
    process.exit(EXIT_RUNTIME);
  }
}

async function resolveMasterKeys(config: Config, logger: Logger): Promise<KeyRing> {
  if (config.masterKeys !== undefined) return config.masterKeys;
  const local = await loadOrCreateLocalMasterKey(config.dataDir);
  logger.warn(
    { file: local.path, created: local.created },
    'Using a generated master key stored next to the data: for local use only. For real data set ENCRYPTION_KEY or ENCRYPTION_KEY_FILE (make one with `cairn keygen`) and keep it away from DATA_DIR.',
  );
  return createKeyRing(local.key);
}

async function openStore(config: Config, masterKeys: KeyRing, logger: Logger): Promise<SqlStore> {
  try {
    return await openSqlStore({
      ...(config.databaseUrl === undefined
        ? { dataDir: config.dataDir }
        : { databaseUrl: config.databaseUrl }),
      masterKey: masterKeys,
      onWarning: (message) => logger.warn(message),
    });
  } catch (error) {
    if (isStorageError(error)) {
      const variable = config.databaseUrl === undefined ? 'DATA_DIR' : 'DATABASE_URL';
      throw new StartupError(
        `${variable}: cannot open the SQL store (${error.code}): ${error.message}`,
      );
    }
    throw error;
  }
}

async function openRegistry(
  config: Config,
  sql: SqlStore,
  masterKeys: KeyRing,
  logger: Logger,
  onAppend: (s: number) => void,
) {
  try {
    return await openDatabaseRegistry({
      dataDir: config.dataDir,
      sql,
      masterKeys,
      snapshotEveryOperations: config.snapshotEveryOperations,
      knowledgeBase: {
        limits: { maxSteps: config.queryMaxSteps, maxDerivedTuples: config.queryMaxDerivedTuples },
      },
      events: {
        onWarning: (warning) =>
          logger.warn(
            { code: warning.code, file: warning.file, offset: warning.offset },
            warning.message,
          ),
        onSnapshotError: (error) =>
          logger.error({ err: error }, 'snapshot failed; the log still holds every operation'),
        onNotice: (message, details) => logger.warn(details, message),
        onAppend,
      },
    });
  } catch (error) {
    if (isStorageError(error) && /KEY/.test(error.code)) {
      throw new StartupError(
        `ENCRYPTION_KEY: the master key does not open the databases in ${config.dataDir} (${error.code}); set the key they were written with, or add it to ENCRYPTION_KEY_PREVIOUS`,
      );
    }
    throw error;
  }
}

async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartupError(
      `DATA_DIR: cannot create or write ${dataDir} (${code}); choose a directory the server may write`,
    );
  }
}

async function start(config: Config, logger: Logger): Promise<void> {
  const version = readVersion();
  await prepareDataDir(config.dataDir);
  const masterKeys = await resolveMasterKeys(config, logger);
  const sql = await openStore(config, masterKeys, logger);
  let registry: DatabaseRegistry | undefined;
  const metrics = createMetrics({
    countFacts: () =>
      (registry?.list() ?? []).map((db) => ({
        database: db.name,
        facts: db.knowledge
          .tenants()
          .reduce(
            (sum, tenant) => sum + db.knowledge.predicates(tenant).reduce((n, p) => n + p.facts, 0),
            0,
          ),
      })),
  });
  try {
    registry = await openRegistry(config, sql, masterKeys, logger, (seconds) =>
      metrics.walAppendSeconds.observe(seconds),
    );
  } catch (error) {
    await sql.close().catch(() => {});
    throw error;
  }
  const openRegistryRef = registry;
  let managed: ManagedMode | undefined;
  if (config.auth.mode === 'managed') {
    try {
      managed = await openManagedMode(config, sql, logger);
    } catch (error) {
      await openRegistryRef.close().catch(() => {});
      await sql.close().catch(() => {});
      throw error;
    }
  }
  const app = createApp({
    options: {
      production: config.env === 'production',
      introspection: config.graphqlIntrospection,
      graphiql: config.graphiql,
      maxBodyBytes: config.maxBodyBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      https: config.tls !== undefined,
      authFailureLimit: config.authFailureLimit,
      authLockoutSeconds: config.authLockoutSeconds,
      trustProxy: config.trustProxy,
      // The resource /mcp's metadata names; with PORT=0 the origin the client reached is truer.
      ...(config.publicUrl !== undefined || config.port !== 0
        ? { publicUrl: deploymentUrl(config) }
        : {}),
    },
    registry,
    knowledge: knowledgeSettingsFrom(config),
    ...(managed === undefined
      ? { resolvePrincipal: createPrincipalResolver(config.auth) }
      : {
          resolvePrincipal: managed.resolvePrincipal,
          authorizer: managed.authorizer,
          identity: managed.identity,
        }),
    logger,
    metrics,
    checkReady: async () => {
      const failed = openRegistryRef.list().filter((db) => !db.healthy);
      if (failed.length > 0) {
        logger.error(
          { databases: failed.map((db) => db.name) },
          'readiness: databases stopped after a storage failure',
        );
        throw new Error('databases failed');
      }
      try {
        await sql.ping();
      } catch (error) {
        logger.error({ err: error }, 'readiness: the SQL store does not answer');
        throw error;
      }
    },
    version,
  });
  const { server, closeTls, reloadTls } = createListeningServer(config, app, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new StartupError(
              `PORT: cannot listen on ${config.host}:${config.port} (${error.code}); choose another PORT or HOST`,
            )
          : error,
      ),
    );
    server.listen(config.port, config.host, resolve);
  }).catch(async (error) => {
    await openRegistryRef.close().catch(() => {});
    await sql.close().catch(() => {});
    throw error;
  });
  announce(config, server, logger, version);
  installShutdown({
    server,
    app,
    registry: openRegistryRef,
    sql,
    identity: managed?.identity,
    logger,
    closeTls,
  });
  installReload(reloadTls, logger);
}

interface ListeningServer {
  readonly server: Server | HttpsServer;
  /** Reloads the certificate files (SIGHUP); false when there is nothing to reload. */
  readonly reloadTls: () => boolean;
  readonly closeTls: () => void;
}

function createListeningServer(config: Config, app: App, logger: Logger): ListeningServer {
  let created: ListeningServer;
  if (config.tls === undefined) {
    created = { server: createServer(app.handler), reloadTls: () => false, closeTls: () => {} };
  } else {
    try {
      const handle = createHttpsServer(config.tls, app.handler, logger);
      created = {
        server: handle.server,
        reloadTls: () => handle.reload(),
        closeTls: () => handle.close(),
      };
    } catch (error) {
      if (isTlsConfigError(error)) throw new StartupError(error.message);
      throw error;
    }
  }
  const { server } = created;
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  server.headersTimeout = Math.min(60_000, config.requestTimeoutMs + 5_000);
  server.keepAliveTimeout = 5_000;
  return created;
}

interface ShutdownParts {
  readonly server: Server | HttpsServer;
  readonly app: App;
  readonly registry: DatabaseRegistry;
  readonly sql: SqlStore;
  readonly identity: Identity | undefined;
  readonly logger: Logger;
  readonly closeTls: () => void;
}

const SHUTDOWN_DEADLINE_MS = 30_000;

function installShutdown(parts: ShutdownParts): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      parts.logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(EXIT_RUNTIME);
    }
    stopping = true;
    parts.logger.info({ signal }, 'shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      parts.logger.error('shutdown took longer than 30 s; exiting');
      process.exit(EXIT_RUNTIME);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      parts.server.close();
      parts.closeTls();
      await parts.app.close();
      parts.server.closeIdleConnections();
      await parts.registry.close();
      await parts.identity?.audit.flush();
      await parts.sql.close();
      parts.logger.info(
        'stopped: every acknowledged write is in the log and snapshots are written',
      );
      process.exit(0);
    } catch (error) {
      parts.logger.error({ err: error }, 'shutdown failed');
      process.exit(EXIT_RUNTIME);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** SIGHUP reloads the TLS certificate (a bad new file keeps the old one; the TLS module logs). */
function installReload(reloadTls: () => boolean, logger: Logger): void {
  process.on('SIGHUP', () => {
    const swapped = reloadTls();
    logger.info({ swapped }, swapped ? 'SIGHUP: certificate reloaded' : 'SIGHUP: nothing reloaded');
  });
}
