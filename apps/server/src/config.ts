// The only file that reads process.env (STYLE.md). Everything else receives a validated Config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { KeyRing } from '@cairn/crypto';
import { z } from 'zod';
import { readMasterKeys } from './config/master-keys.js';
import { readTls, type TlsSettings } from './config/tls-settings.js';
import { parsePassword, parseUsername } from './identity/users/account-rules.js';

export type { TlsSettings } from './config/tls-settings.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export type AuthSettings =
  | { readonly mode: 'disabled' }
  | { readonly mode: 'legacy'; readonly apiKey: string }
  /**
   * Users, sessions, API keys, roles (AUTH_ENABLED=true). `jwtSecret` also admits external
   * HS256 tokens. API_KEY is refused alongside: one shared key beside per-user keys would be a
   * back door around every role and scope.
   */
  | { readonly mode: 'managed'; readonly jwtSecret?: string };

export interface Config {
  readonly env: 'development' | 'production';
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | undefined;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** Undefined in development without a key: the server generates a local one. */
  readonly masterKeys: KeyRing | undefined;
  readonly auth: AuthSettings;
  readonly allowInsecureNoAuth: boolean;
  readonly jwtSecret: string | undefined;
  readonly jwtLifetimeSeconds: number;
  readonly newUserIsActive: boolean;
  readonly superuser: { readonly username: string; readonly password: string } | undefined;
  readonly authFailureLimit: number;
  readonly authLockoutSeconds: number;
  readonly trustProxy: boolean;
  readonly tls: TlsSettings | undefined;
  readonly acceptLocalFilePath: boolean;
  readonly importDir: string | undefined;
  readonly allowRawQuery: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly logFormat: 'json' | 'text';
  readonly graphqlIntrospection: boolean;
  readonly graphiql: boolean;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly snapshotEveryOperations: number;
  /** Per-query engine budgets: a query is synchronous work, so these bound its time. */
  readonly queryMaxSteps: number;
  readonly queryMaxDerivedTuples: number;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Unsafe settings tolerated in development, one line each. */
  readonly warnings: readonly string[];
}

/** Every problem found, one line each naming the variable and the fix. Exit code 2. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const bool = (name: string) => z.stringbool({ error: `${name} must be true or false` }).optional();
const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `${name} must be at least ${min}` })
        .max(max, { error: `${name} must be at most ${max}` }),
    )
    .optional();
const text = () => z.string().optional();
const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z
    .enum(values, { error: `${name} must be one of ${values.map((v) => `"${v}"`).join(', ')}` })
    .optional();

const environmentSchema = z.object({
  CAIRN_ENV: oneOf('CAIRN_ENV', ['development', 'production']),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]{1,253}$/, {
      error: 'HOST must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0',
    })
    .optional(),
  PORT: integer('PORT', 0, 65535),
  DATA_DIR: text(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, {
      error: 'DATABASE_URL must be a postgres:// URL (unset it to use the embedded store)',
    })
    .optional(),
  ENCRYPTION_KEY: text(),
  ENCRYPTION_KEY_FILE: text(),
  ENCRYPTION_KEY_PREVIOUS: text(),
  AUTH_ENABLED: bool('AUTH_ENABLED'),
  API_KEY: z
    .string()
    .min(16, { error: 'API_KEY must be at least 16 characters; generate one with `cairn keygen`' })
    .max(512, { error: 'API_KEY must be at most 512 characters' })
    .optional(),
  JWT_SECRET: text(),
  JWT_LIFETIME_SECONDS: integer('JWT_LIFETIME_SECONDS', 60, 86_400),
  NEW_USER_IS_ACTIVE: bool('NEW_USER_IS_ACTIVE'),
  SUPERUSER: text(),
  SUPERUSER_PASSWORD: text(),
  AUTH_FAILURE_LIMIT: integer('AUTH_FAILURE_LIMIT', 1, 100_000),
  AUTH_LOCKOUT_SECONDS: integer('AUTH_LOCKOUT_SECONDS', 1, 86_400),
  TRUST_PROXY: bool('TRUST_PROXY'),
  TLS_ENABLED: bool('TLS_ENABLED'),
  TLS_KEYSTORE_PATH: text(),
  TLS_KEYSTORE_PASSWORD: text(),
  TLS_CERT_PATH: text(),
  TLS_KEY_PATH: text(),
  TLS_MIN_VERSION: oneOf('TLS_MIN_VERSION', ['TLSv1.2', 'TLSv1.3']),
  TLS_CLIENT_CA_PATH: text(),
  ACCEPT_LOCAL_FILE_PATH: bool('ACCEPT_LOCAL_FILE_PATH'),
  IMPORT_DIR: text(),
  ALLOW_RAW_QUERY: bool('ALLOW_RAW_QUERY'),
  ALLOW_INSECURE_NO_AUTH: bool('ALLOW_INSECURE_NO_AUTH'),
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error: 'PUBLIC_URL must be an http(s) URL, e.g. https://cairn.example.com',
    })
    .optional(),
  LOG_LEVEL: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  LOG_FORMAT: oneOf('LOG_FORMAT', ['json', 'text']),
  GRAPHQL_INTROSPECTION: bool('GRAPHQL_INTROSPECTION'),
  GRAPHIQL: bool('GRAPHIQL'),
  MAX_BODY_BYTES: integer('MAX_BODY_BYTES', 1024, 64 * 1024 * 1024),
  REQUEST_TIMEOUT_SECONDS: integer('REQUEST_TIMEOUT_SECONDS', 1, 3600),
  SNAPSHOT_EVERY_OPERATIONS: integer('SNAPSHOT_EVERY_OPERATIONS', 1, 100_000_000),
  QUERY_MAX_STEPS: integer('QUERY_MAX_STEPS', 1_000, 10_000_000_000),
  QUERY_MAX_DERIVED_TUPLES: integer('QUERY_MAX_DERIVED_TUPLES', 1_000, 1_000_000_000),
});

type RawConfig = z.infer<typeof environmentSchema>;

/** Reads `--env-file`; variables already in the process environment win (as with dotenv). */
export function readEnvironment(envFile?: string): Environment {
  if (envFile === undefined) return process.env;
  let content: string;
  try {
    content = readFileSync(envFile, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `--env-file: cannot read ${envFile} (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass the path of an existing .env file`,
    ]);
  }
  return { ...parseEnv(content), ...process.env };
}

const LOOPBACK =
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export interface ParseConfigOptions {
  /** Base for a relative DATA_DIR (default: the working directory). */
  readonly cwd?: string;
}

/** Validates the whole environment at once; throws ConfigError listing every problem. */
export function parseConfig(env: Environment, options: ParseConfigOptions = {}): LoadedConfig {
  // An empty value means unset, so `PORT=` in a .env file falls back to the default.
  const present = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issueLine(issue)));
  }
  const problems: string[] = [];
  const raw = parsed.data;
  const cwd = options.cwd ?? process.cwd();
  const strict = raw.CAIRN_ENV === 'production';
  const host = raw.HOST ?? '127.0.0.1';
  const dataDir = resolve(cwd, raw.DATA_DIR ?? './data');
  const masterKeys = readMasterKeys(raw, cwd, problems);
  const tls = readTls(raw, problems);
  const auth = readAuth(raw, problems);
  // Managed access tokens are short-lived (refresh tokens renew them); the 3600 s default
  // stays for the other modes, where only external tools mint tokens.
  const defaultJwtLifetime = auth.mode === 'managed' ? 900 : 3600;
  const config: Config = {
    env: strict ? 'production' : 'development',
    host,
    port: raw.PORT ?? 9300,
    publicUrl: raw.PUBLIC_URL,
    dataDir,
    databaseUrl: raw.DATABASE_URL,
    masterKeys,
    auth,
    allowInsecureNoAuth: raw.ALLOW_INSECURE_NO_AUTH ?? false,
    jwtSecret: raw.JWT_SECRET,
    jwtLifetimeSeconds: raw.JWT_LIFETIME_SECONDS ?? defaultJwtLifetime,
    newUserIsActive: raw.NEW_USER_IS_ACTIVE ?? false,
    superuser: readSuperuser(raw, problems),
    authFailureLimit: raw.AUTH_FAILURE_LIMIT ?? 20,
    authLockoutSeconds: raw.AUTH_LOCKOUT_SECONDS ?? 60,
    trustProxy: raw.TRUST_PROXY ?? false,
    tls,
    acceptLocalFilePath: raw.ACCEPT_LOCAL_FILE_PATH ?? false,
    importDir: raw.IMPORT_DIR === undefined ? undefined : resolve(cwd, raw.IMPORT_DIR),
    allowRawQuery: raw.ALLOW_RAW_QUERY ?? true,
    logLevel: raw.LOG_LEVEL ?? 'info',
    logFormat: raw.LOG_FORMAT ?? 'json',
    graphqlIntrospection: raw.GRAPHQL_INTROSPECTION ?? !strict,
    graphiql: raw.GRAPHIQL ?? !strict,
    maxBodyBytes: raw.MAX_BODY_BYTES ?? 1024 * 1024,
    requestTimeoutMs: (raw.REQUEST_TIMEOUT_SECONDS ?? 30) * 1000,
    snapshotEveryOperations: raw.SNAPSHOT_EVERY_OPERATIONS ?? 10_000,
    queryMaxSteps: raw.QUERY_MAX_STEPS ?? 20_000_000,
    queryMaxDerivedTuples: raw.QUERY_MAX_DERIVED_TUPLES ?? 2_000_000,
  };
  const unsafe = findUnsafeSettings(config, raw);
  // Auth disabled beyond loopback is refused even in development unless explicitly allowed.
  if (config.auth.mode === 'disabled' && !isLoopbackHost(host) && !config.allowInsecureNoAuth) {
    problems.push(
      `HOST: ${host} is not a loopback address and authentication is disabled; set AUTH_ENABLED=true or API_KEY, or listen on 127.0.0.1, or (development only) set ALLOW_INSECURE_NO_AUTH=true`,
    );
  }
  if (strict) problems.push(...unsafe);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings: strict ? [] : unsafe };
}

function issueLine(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? 'environment');
  // Our messages start with the variable's name; zod's own fallbacks get it prefixed.
  return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
}

/** DESIGN §2 strict-mode rules: refused in production, warnings in development. */
function findUnsafeSettings(config: Config, raw: RawConfig): string[] {
  const out: string[] = [];
  const loopback = isLoopbackHost(config.host);
  if (config.masterKeys === undefined) {
    out.push(
      'ENCRYPTION_KEY: no master key configured; set ENCRYPTION_KEY or ENCRYPTION_KEY_FILE (generate one with `cairn keygen`)',
    );
  }
  if (config.auth.mode === 'disabled' && !loopback) {
    out.push(
      `API_KEY: authentication is disabled while listening on ${config.host}; set AUTH_ENABLED=true (users and API keys) or API_KEY (one shared key)`,
    );
  }
  if (config.tls === undefined && !loopback && !config.trustProxy) {
    out.push(
      `TLS_ENABLED: TLS is off while listening on ${config.host}; set TLS_ENABLED=true with a keystore, or TRUST_PROXY=true when a TLS proxy is in front`,
    );
  }
  if (raw.JWT_SECRET !== undefined && Buffer.byteLength(raw.JWT_SECRET) < 32) {
    out.push('JWT_SECRET: shorter than 32 bytes; generate one with `cairn keygen --jwt-secret`');
  }
  if (config.acceptLocalFilePath && config.importDir === undefined) {
    out.push(
      'ACCEPT_LOCAL_FILE_PATH: enabled without IMPORT_DIR; set IMPORT_DIR to the only directory imports may read',
    );
  }
  return out;
}

function readAuth(raw: RawConfig, problems: string[]): AuthSettings {
  if (raw.AUTH_ENABLED === true) {
    if (raw.API_KEY !== undefined) {
      problems.push(
        'API_KEY: a shared key cannot be combined with AUTH_ENABLED=true (it would bypass every role and scope); unset API_KEY and create per-user keys with createApiKey',
      );
    }
    return raw.JWT_SECRET === undefined
      ? { mode: 'managed' }
      : { mode: 'managed', jwtSecret: raw.JWT_SECRET };
  }
  return raw.API_KEY === undefined ? { mode: 'disabled' } : { mode: 'legacy', apiKey: raw.API_KEY };
}

function readSuperuser(raw: RawConfig, problems: string[]): Config['superuser'] {
  if ((raw.SUPERUSER === undefined) !== (raw.SUPERUSER_PASSWORD === undefined)) {
    problems.push('SUPERUSER_PASSWORD: SUPERUSER and SUPERUSER_PASSWORD must be set together');
    return undefined;
  }
  if (raw.SUPERUSER === undefined || raw.SUPERUSER_PASSWORD === undefined) return undefined;
  if (raw.AUTH_ENABLED !== true) {
    problems.push(
      'SUPERUSER: users exist only in managed mode; set AUTH_ENABLED=true or unset SUPERUSER',
    );
  }
  try {
    parseUsername(raw.SUPERUSER, 'SUPERUSER');
    parsePassword(raw.SUPERUSER_PASSWORD, 'SUPERUSER_PASSWORD');
  } catch (error) {
    problems.push((error as Error).message);
  }
  return { username: raw.SUPERUSER, password: raw.SUPERUSER_PASSWORD };
}
