import type { TlsSettings } from '@cairn/server/tls';
import { z } from 'zod';
import { BridgeError } from './errors.js';

/** The only file that reads the environment: everything else receives a BridgeConfig. */
export interface BridgeConfig {
  readonly transport: 'stdio' | 'http';
  /** CAIRN_URL: the one Cairn API every call goes to, and the only place tokens are sent. */
  readonly apiUrl: URL;
  /** CAIRN_TOKEN (stdio): the credential of every call. HTTP callers bring their own. */
  readonly token: string | undefined;
  /** CAIRN_CA_FILE: extra CA (PEM) trusted for the API's certificate. */
  readonly caFile: string | undefined;
  readonly database: string | undefined;
  readonly tenant: string | undefined;
  /** CAIRN_PUBLIC_URL: the deployment's resource identifier (its PUBLIC_URL), the JWT audience. */
  readonly resource: URL;
  readonly timeoutMs: number;
  readonly http: HttpSettings;
}

export interface HttpSettings {
  readonly host: string;
  readonly port: number;
  /** MCP_PUBLIC_URL: how clients reach this bridge (metadata `resource`); default from host/port. */
  readonly publicUrl: URL | undefined;
  /** MCP_ALLOWED_ORIGINS: browser origins allowed besides the bridge's own. */
  readonly allowedOrigins: readonly string[];
  readonly tls: TlsSettings | undefined;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

const url = (variable: string, example: string) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: `${variable} must be an http(s) URL, e.g. ${example}`,
    })
    .transform((value) => new URL(value));

const name = (variable: string) =>
  z.string().regex(NAME, { error: `${variable} must be 1–64 letters, digits, "_" or "-"` });

const schema = z.object({
  CAIRN_URL: url('CAIRN_URL', 'https://cairn.example.com').default(
    new URL('http://127.0.0.1:9300'),
  ),
  CAIRN_TOKEN: z.string().min(1).optional(),
  CAIRN_CA_FILE: z.string().min(1).optional(),
  CAIRN_DATABASE: name('CAIRN_DATABASE').optional(),
  CAIRN_TENANT: name('CAIRN_TENANT').optional(),
  CAIRN_PUBLIC_URL: url('CAIRN_PUBLIC_URL', 'https://cairn.example.com').optional(),
  CAIRN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, { error: 'CAIRN_TIMEOUT_MS must be an integer from 100 to 600000' })
    .max(600_000, { error: 'CAIRN_TIMEOUT_MS must be an integer from 100 to 600000' })
    .default(30_000),
  MCP_HOST: z.string().min(1).default('127.0.0.1'),
  MCP_PORT: z.coerce
    .number()
    .int()
    .min(0, { error: 'MCP_PORT must be a port number from 0 to 65535' })
    .max(65_535, { error: 'MCP_PORT must be a port number from 0 to 65535' })
    .default(9301),
  MCP_PUBLIC_URL: url('MCP_PUBLIC_URL', 'https://mcp.example.com').optional(),
  MCP_ALLOWED_ORIGINS: z.string().optional(),
  TLS_ENABLED: z
    .enum(['true', 'false'], { error: 'TLS_ENABLED must be true or false' })
    .default('false'),
  TLS_KEYSTORE_PATH: z.string().min(1).optional(),
  TLS_KEYSTORE_PASSWORD: z.string().optional(),
  TLS_CERT_PATH: z.string().min(1).optional(),
  TLS_KEY_PATH: z.string().min(1).optional(),
  TLS_MIN_VERSION: z
    .enum(['TLSv1.2', 'TLSv1.3'], { error: 'TLS_MIN_VERSION must be TLSv1.2 or TLSv1.3' })
    .default('TLSv1.2'),
  TLS_CLIENT_CA_PATH: z.string().min(1).optional(),
});

const USAGE = 'usage: cairn-mcp [--http]';

/** argv (after the script) + environment → config, or a BridgeError naming every problem. */
export function parseBridgeConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BridgeConfig {
  const unknown = argv.filter((argument) => argument !== '--http' && argument !== '--stdio');
  if (unknown.length > 0)
    throw new BridgeError('BAD_CONFIG', `unknown argument ${unknown.join(' ')}; ${USAGE}`);
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '');
      return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
    });
    throw new BridgeError('BAD_CONFIG', problems.join('; '));
  }
  const raw = parsed.data;
  const tlsEnabled = raw.TLS_ENABLED === 'true';
  if (
    tlsEnabled &&
    raw.TLS_KEYSTORE_PATH === undefined &&
    (raw.TLS_CERT_PATH === undefined || raw.TLS_KEY_PATH === undefined)
  ) {
    throw new BridgeError(
      'BAD_CONFIG',
      'TLS_ENABLED=true needs TLS_KEYSTORE_PATH (PKCS#12) or both TLS_CERT_PATH and TLS_KEY_PATH (PEM)',
    );
  }
  const tls: TlsSettings | undefined = tlsEnabled
    ? {
        minVersion: raw.TLS_MIN_VERSION,
        ...(raw.TLS_KEYSTORE_PATH === undefined ? {} : { keystorePath: raw.TLS_KEYSTORE_PATH }),
        ...(raw.TLS_KEYSTORE_PASSWORD === undefined
          ? {}
          : { keystorePassword: raw.TLS_KEYSTORE_PASSWORD }),
        ...(raw.TLS_CERT_PATH === undefined ? {} : { certPath: raw.TLS_CERT_PATH }),
        ...(raw.TLS_KEY_PATH === undefined ? {} : { keyPath: raw.TLS_KEY_PATH }),
        ...(raw.TLS_CLIENT_CA_PATH === undefined ? {} : { clientCaPath: raw.TLS_CLIENT_CA_PATH }),
      }
    : undefined;
  const allowedOrigins = (raw.MCP_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of allowedOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, '')) {
      throw new BridgeError(
        'BAD_CONFIG',
        `MCP_ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com`,
      );
    }
  }
  return {
    transport: argv.includes('--http') ? 'http' : 'stdio',
    apiUrl: raw.CAIRN_URL,
    token: raw.CAIRN_TOKEN,
    caFile: raw.CAIRN_CA_FILE,
    database: raw.CAIRN_DATABASE,
    tenant: raw.CAIRN_TENANT,
    // The API's PUBLIC_URL defaults to its own URL, so the same default holds here.
    resource: raw.CAIRN_PUBLIC_URL ?? new URL(raw.CAIRN_URL.origin),
    timeoutMs: raw.CAIRN_TIMEOUT_MS,
    http: {
      host: raw.MCP_HOST,
      port: raw.MCP_PORT,
      publicUrl: raw.MCP_PUBLIC_URL,
      allowedOrigins,
      tls,
    },
  };
}
