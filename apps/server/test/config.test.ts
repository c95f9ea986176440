import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ConfigError,
  type Environment,
  isLoopbackHost,
  parseConfig,
  readEnvironment,
} from '../src/config.js';

const KEY = formatKey(generateMasterKey(), 'base64');
const KEY_HEX = formatKey(generateMasterKey(), 'hex');
let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-config-'));
  keyFile = join(dir, 'master.key');
  await writeFile(keyFile, `${KEY}\n`, { mode: 0o600 });
});

function problems(env: Environment): readonly string[] {
  try {
    parseConfig(env, { cwd: dir });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('defaults', () => {
  test('an empty environment is the embedded local setup', () => {
    const { config, warnings } = parseConfig({}, { cwd: '/srv' });
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 9300,
      dataDir: '/srv/data',
      databaseUrl: undefined,
      masterKeys: undefined,
      auth: { mode: 'disabled' },
      tls: undefined,
      allowRawQuery: true,
      logLevel: 'info',
      logFormat: 'json',
      graphqlIntrospection: true,
      graphiql: true,
      jwtLifetimeSeconds: 3600,
      authFailureLimit: 20,
      authLockoutSeconds: 60,
    });
    expect(warnings).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: no master key/)]);
  });

  test('an empty value means unset', () => {
    expect(parseConfig({ PORT: '', LOG_LEVEL: '' }).config).toMatchObject({
      port: 9300,
      logLevel: 'info',
    });
  });
});

// Every variable: a good value, and a bad value whose one line names it.
const table: Array<[variable: string, good: string, bad: string, message: RegExp]> = [
  ['CAIRN_ENV', 'development', 'staging', /CAIRN_ENV must be one of "development", "production"/],
  ['HOST', '::1', 'bad host!', /HOST must be an IP address or host name/],
  ['PORT', '8080', '70000', /PORT must be at most 65535/],
  ['PORT', '0', 'http', /PORT must be a whole number/],
  [
    'DATABASE_URL',
    'postgres://u:p@db:5432/cairn',
    'mysql://x',
    /DATABASE_URL must be a postgres:\/\/ URL/,
  ],
  ['ENCRYPTION_KEY', KEY_HEX, 'not-a-key', /ENCRYPTION_KEY: .*cairn keygen/],
  [
    'ENCRYPTION_KEY_FILE',
    'master.key',
    'missing.key',
    /ENCRYPTION_KEY_FILE: cannot read .*missing\.key \(ENOENT\)/,
  ],
  ['AUTH_ENABLED', 'false', 'maybe', /AUTH_ENABLED must be true or false/],
  ['API_KEY', 'a-long-enough-shared-key', 'short', /API_KEY must be at least 16 characters/],
  ['JWT_LIFETIME_SECONDS', '600', '5', /JWT_LIFETIME_SECONDS must be at least 60/],
  ['NEW_USER_IS_ACTIVE', 'true', 'sure', /NEW_USER_IS_ACTIVE must be true or false/],
  ['AUTH_FAILURE_LIMIT', '5', '-1', /AUTH_FAILURE_LIMIT must be a whole number/],
  ['AUTH_LOCKOUT_SECONDS', '30', '0', /AUTH_LOCKOUT_SECONDS must be at least 1/],
  ['TRUST_PROXY', 'true', 'x', /TRUST_PROXY must be true or false/],
  ['TLS_ENABLED', 'false', '2', /TLS_ENABLED must be true or false/],
  ['TLS_MIN_VERSION', 'TLSv1.3', 'TLSv1.0', /TLS_MIN_VERSION must be one of "TLSv1.2", "TLSv1.3"/],
  ['ACCEPT_LOCAL_FILE_PATH', 'false', 'nah', /ACCEPT_LOCAL_FILE_PATH must be true or false/],
  ['ALLOW_RAW_QUERY', 'false', 'perhaps', /ALLOW_RAW_QUERY must be true or false/],
  ['ALLOW_INSECURE_NO_AUTH', 'false', 'x', /ALLOW_INSECURE_NO_AUTH must be true or false/],
  ['PUBLIC_URL', 'https://cairn.example.com', 'ftp://x', /PUBLIC_URL must be an http\(s\) URL/],
  ['LOG_LEVEL', 'debug', 'loud', /LOG_LEVEL must be one of/],
  ['LOG_FORMAT', 'text', 'xml', /LOG_FORMAT must be one of "json", "text"/],
  ['GRAPHQL_INTROSPECTION', 'false', 'x', /GRAPHQL_INTROSPECTION must be true or false/],
  ['GRAPHIQL', 'false', 'x', /GRAPHIQL must be true or false/],
  ['MAX_BODY_BYTES', '65536', '10', /MAX_BODY_BYTES must be at least 1024/],
  ['REQUEST_TIMEOUT_SECONDS', '10', '0', /REQUEST_TIMEOUT_SECONDS must be at least 1/],
  ['SNAPSHOT_EVERY_OPERATIONS', '100', 'often', /SNAPSHOT_EVERY_OPERATIONS must be a whole number/],
  ['QUERY_MAX_STEPS', '5000000', '10', /QUERY_MAX_STEPS must be at least 1000/],
  ['QUERY_MAX_DERIVED_TUPLES', '100000', '1e6', /QUERY_MAX_DERIVED_TUPLES must be a whole number/],
];

describe.each(table)('%s', (variable, good, bad, message) => {
  test(`accepts ${good}`, () => {
    expect(problems({ [variable]: good })).toEqual([]);
  });
  test(`refuses ${bad} with one line naming it`, () => {
    const lines = problems({ [variable]: bad });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]?.startsWith(variable)).toBe(true);
  });
});

describe('combinations', () => {
  test('every bad value is reported at once', () => {
    expect(problems({ PORT: 'x', LOG_LEVEL: 'y', CAIRN_ENV: 'z' })).toHaveLength(3);
  });

  test('the key and the key file exclude each other', () => {
    expect(problems({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_FILE: keyFile })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY_FILE: set either/),
    ]);
  });

  test('previous keys join the ring; a bad one is named by position', () => {
    const previous = formatKey(generateMasterKey());
    const { config } = parseConfig({
      ENCRYPTION_KEY: KEY,
      ENCRYPTION_KEY_PREVIOUS: `${previous}, ${KEY_HEX}`,
    });
    expect(config.masterKeys?.keys).toHaveLength(3);
    expect(problems({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: `${previous},junk` })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY_PREVIOUS \(key 2\): /),
    ]);
    expect(problems({ ENCRYPTION_KEY_PREVIOUS: previous })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY_PREVIOUS: set only together/),
    ]);
  });

  test('API_KEY selects legacy mode', () => {
    expect(parseConfig({ API_KEY: 'a-long-enough-shared-key' }).config.auth).toEqual({
      mode: 'legacy',
      apiKey: 'a-long-enough-shared-key',
    });
  });

  test('AUTH_ENABLED selects managed mode with short-lived access tokens', () => {
    const { config } = parseConfig({ AUTH_ENABLED: 'true' });
    expect(config.auth).toEqual({ mode: 'managed' });
    expect(config.jwtLifetimeSeconds).toBe(900);
  });

  test('managed mode keeps an explicit JWT_LIFETIME_SECONDS and carries JWT_SECRET', () => {
    const secret = 'x'.repeat(40);
    const { config } = parseConfig({
      AUTH_ENABLED: 'true',
      JWT_LIFETIME_SECONDS: '3600',
      JWT_SECRET: secret,
    });
    expect(config.auth).toEqual({ mode: 'managed', jwtSecret: secret });
    expect(config.jwtLifetimeSeconds).toBe(3600);
  });

  test('managed mode listens beyond loopback without ALLOW_INSECURE_NO_AUTH', () => {
    expect(problems({ AUTH_ENABLED: 'true', HOST: '0.0.0.0' })).toEqual([]);
  });

  test('a shared API_KEY cannot be combined with managed mode', () => {
    expect(problems({ AUTH_ENABLED: 'true', API_KEY: 'a-long-enough-shared-key' })).toEqual([
      expect.stringMatching(/^API_KEY: a shared key cannot be combined with AUTH_ENABLED=true/),
    ]);
  });

  test('AUTH_ENABLED=false with API_KEY is still legacy mode', () => {
    expect(
      parseConfig({ AUTH_ENABLED: 'false', API_KEY: 'a-long-enough-shared-key' }).config.auth,
    ).toEqual({ mode: 'legacy', apiKey: 'a-long-enough-shared-key' });
  });

  test('SUPERUSER is created in managed mode only, with a valid name and a long password', () => {
    const managed = {
      AUTH_ENABLED: 'true',
      SUPERUSER: 'root',
      SUPERUSER_PASSWORD: 'correct horse battery',
    };
    expect(parseConfig(managed).config.superuser).toEqual({
      username: 'root',
      password: 'correct horse battery',
    });
    expect(problems({ ...managed, AUTH_ENABLED: 'false' })).toEqual([
      expect.stringMatching(/^SUPERUSER: users exist only in managed mode/),
    ]);
    expect(problems({ ...managed, SUPERUSER_PASSWORD: 'short' })).toEqual([
      expect.stringMatching(/^SUPERUSER_PASSWORD must be at least 12 characters/),
    ]);
    expect(problems({ ...managed, SUPERUSER: 'no spaces please' })).toEqual([
      expect.stringMatching(/^SUPERUSER must be 1–64 characters/),
    ]);
  });

  test('SUPERUSER and its password go together', () => {
    expect(problems({ SUPERUSER: 'root' })).toEqual([
      expect.stringMatching(/^SUPERUSER_PASSWORD: /),
    ]);
  });

  test('TLS: keystore with password, or a PEM pair, never both, never none', () => {
    expect(
      parseConfig({ TLS_ENABLED: 'true', TLS_KEYSTORE_PATH: '/k.p12', TLS_KEYSTORE_PASSWORD: 'pw' })
        .config.tls,
    ).toEqual({
      keystorePath: '/k.p12',
      keystorePassword: 'pw',
      minVersion: 'TLSv1.2',
    });
    expect(
      parseConfig({
        TLS_ENABLED: 'true',
        TLS_CERT_PATH: '/c.pem',
        TLS_KEY_PATH: '/k.pem',
        TLS_CLIENT_CA_PATH: '/ca.pem',
        TLS_MIN_VERSION: 'TLSv1.3',
      }).config.tls,
    ).toEqual({
      certPath: '/c.pem',
      keyPath: '/k.pem',
      clientCaPath: '/ca.pem',
      minVersion: 'TLSv1.3',
    });
    expect(problems({ TLS_ENABLED: 'true', TLS_KEYSTORE_PATH: '/k.p12' })).toEqual([
      expect.stringMatching(/^TLS_KEYSTORE_PASSWORD: required/),
    ]);
    expect(problems({ TLS_ENABLED: 'true', TLS_CERT_PATH: '/c.pem' })).toEqual([
      expect.stringMatching(/^TLS_CERT_PATH: PEM needs both/),
    ]);
    expect(
      problems({
        TLS_ENABLED: 'true',
        TLS_KEYSTORE_PATH: '/k',
        TLS_KEYSTORE_PASSWORD: 'p',
        TLS_CERT_PATH: '/c',
        TLS_KEY_PATH: '/k',
      }),
    ).toEqual([expect.stringMatching(/^TLS_KEYSTORE_PATH: set either/)]);
    expect(problems({ TLS_ENABLED: 'true' })).toEqual([
      expect.stringMatching(/^TLS_ENABLED: true but no certificate/),
    ]);
    expect(parseConfig({ TLS_KEYSTORE_PATH: '/ignored' }).config.tls).toBeUndefined();
  });

  test('auth disabled beyond loopback needs ALLOW_INSECURE_NO_AUTH even in development', () => {
    expect(problems({ HOST: '0.0.0.0' })).toEqual([
      expect.stringMatching(/^HOST: 0\.0\.0\.0 is not a loopback address/),
    ]);
    const allowed = parseConfig({ HOST: '0.0.0.0', ALLOW_INSECURE_NO_AUTH: 'true' });
    expect(allowed.warnings).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY:/),
      expect.stringMatching(/^API_KEY: authentication is disabled/),
      expect.stringMatching(/^TLS_ENABLED: TLS is off/),
    ]);
  });

  test('loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.1', '::', 'example.com'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('strict mode (CAIRN_ENV=production)', () => {
  const safe = {
    CAIRN_ENV: 'production',
    ENCRYPTION_KEY: KEY,
    HOST: '0.0.0.0',
    API_KEY: 'a-long-enough-shared-key',
    TRUST_PROXY: 'true',
  };

  test('a safe production setup starts, with introspection and GraphiQL off', () => {
    const { config, warnings } = parseConfig(safe);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      env: 'production',
      graphqlIntrospection: false,
      graphiql: false,
    });
    expect(
      parseConfig({ ...safe, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' }).config,
    ).toMatchObject({
      graphqlIntrospection: true,
      graphiql: true,
    });
  });

  const rules: Array<[string, Environment, RegExp]> = [
    ['no master key', { ENCRYPTION_KEY: undefined }, /^ENCRYPTION_KEY: no master key/],
    [
      'auth disabled beyond loopback',
      { API_KEY: undefined, ALLOW_INSECURE_NO_AUTH: 'true' },
      /^API_KEY: authentication is disabled/,
    ],
    [
      'TLS off beyond loopback without a proxy',
      { TRUST_PROXY: 'false' },
      /^TLS_ENABLED: TLS is off/,
    ],
    ['a short JWT secret', { JWT_SECRET: 'short' }, /^JWT_SECRET: shorter than 32 bytes/],
    [
      'local file import without IMPORT_DIR',
      { ACCEPT_LOCAL_FILE_PATH: 'true' },
      /^ACCEPT_LOCAL_FILE_PATH: enabled without IMPORT_DIR/,
    ],
  ];
  test.each(rules)('refuses %s, naming it', (_name, change, message) => {
    const lines = problems({ ...safe, ...change });
    expect(lines).toEqual([expect.stringMatching(message)]);
  });

  test('the same settings only warn in development', () => {
    const { warnings } = parseConfig({
      JWT_SECRET: 'short',
      ACCEPT_LOCAL_FILE_PATH: 'true',
      ENCRYPTION_KEY: KEY,
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^JWT_SECRET:/),
      expect.stringMatching(/^ACCEPT_LOCAL_FILE_PATH:/),
    ]);
  });

  test('a key file readable by others is refused in production', async () => {
    const loose = join(dir, 'loose.key');
    await writeFile(loose, KEY);
    await chmod(loose, 0o644);
    expect(problems({ ...safe, ENCRYPTION_KEY: undefined, ENCRYPTION_KEY_FILE: loose })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY_FILE: .* readable by group or others; run chmod 600/),
    ]);
  });
});

describe('--env-file', () => {
  test('reads variables; the process environment wins', async () => {
    const file = join(dir, 'test.env');
    await writeFile(file, 'PORT=9411\n# comment\nLOG_LEVEL="debug"\nPATH=/not/used\n');
    const env = readEnvironment(file);
    expect(env.PORT).toBe('9411');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.PATH).not.toBe('/not/used');
  });

  test('a missing file is one clear line', () => {
    expect(() => readEnvironment(join(dir, 'nope.env'))).toThrow(
      /--env-file: cannot read .*nope\.env \(ENOENT\)/,
    );
  });
});
