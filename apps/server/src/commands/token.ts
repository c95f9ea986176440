import { readFile } from 'node:fs/promises';
import { ROLES, type Role } from '@cairn/policy';
import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError, readEnvironment } from '../config.js';
import { mintExternalToken } from '../identity/tokens/external-tokens.js';
import { CliError, exitCodeOf } from './cli-error.js';

/** A bearer token is a credential: a month is the longest one this command will mint. */
export const MAX_TOKEN_EXPIRY_SECONDS = 30 * 24 * 3600;
const MIN_SECRET_BYTES = 32;

export interface TokenCommandOptions {
  readonly userId: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  readonly expiresIn: number;
  readonly secretFile?: string;
  readonly envFile?: string;
}

export interface MintedToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly warnings: readonly string[];
}

export function parseRoleList(text: string): Role[] {
  const roles = text
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  if (roles.length === 0) throw new Error(`--roles needs at least one of ${ROLES.join(', ')}`);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`--roles: "${role.slice(0, 40)}" is not a role; use ${ROLES.join(', ')}`);
    }
  }
  return [...new Set(roles as Role[])];
}

export function parseExpiresIn(text: string): number {
  const seconds = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TOKEN_EXPIRY_SECONDS)) {
    throw new Error(`--expires-in must be whole seconds from 1 to ${MAX_TOKEN_EXPIRY_SECONDS}`);
  }
  return seconds;
}

async function readSecret(options: TokenCommandOptions): Promise<string> {
  if (options.secretFile !== undefined) {
    let content: string;
    try {
      content = await readFile(options.secretFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new CliError('usage', `--secret-file: cannot read ${options.secretFile} (${code})`);
    }
    // A trailing newline is how editors and `echo` end files; it is not part of the secret.
    const secret = content.replace(/\r?\n$/, '');
    if (secret === '') throw new CliError('usage', `--secret-file: ${options.secretFile} is empty`);
    return secret;
  }
  const secret = readEnvironment(options.envFile).JWT_SECRET;
  if (secret === undefined || secret === '') {
    throw new CliError(
      'usage',
      'no secret: pass --secret-file <file> or set JWT_SECRET (the same one the server has)',
    );
  }
  return secret;
}

/** The HS256 token a server with the same JWT_SECRET accepts as an external token. */
export async function mintTokenForCommand(
  options: TokenCommandOptions,
  now: () => number = Date.now,
): Promise<MintedToken> {
  if (options.userId.trim() === '') throw new CliError('usage', '--user-id must not be empty');
  if (options.tenant.trim() === '') throw new CliError('usage', '--tenant must not be empty');
  const secret = await readSecret(options);
  const warnings =
    Buffer.byteLength(secret) < MIN_SECRET_BYTES
      ? [
          `the secret is shorter than ${MIN_SECRET_BYTES} bytes: a production server refuses it; make one with \`cairn keygen --jwt-secret\``,
        ]
      : [];
  const token = await mintExternalToken(secret, {
    userId: options.userId,
    tenantId: options.tenant,
    roles: options.roles,
    expiresInSeconds: options.expiresIn,
    now,
  });
  const expiresAt = new Date((Math.floor(now() / 1000) + options.expiresIn) * 1000);
  return { token, expiresAt, warnings };
}

const asArgument =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

/** `cairn token`: prints an external HS256 token (user_id, tenant_id, roles, iat, exp). */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      'mint an HS256 token for a server with JWT_SECRET (the token another system would send)',
    )
    .requiredOption('--user-id <id>', 'the user_id claim')
    .requiredOption('--tenant <name>', 'the tenant_id claim')
    .requiredOption(
      '--roles <list>',
      'comma-separated: reader, writer, admin',
      asArgument(parseRoleList),
    )
    .option('--expires-in <seconds>', 'lifetime in seconds', asArgument(parseExpiresIn), 3600)
    .option('--secret-file <path>', 'read the secret from this file instead of JWT_SECRET')
    .option('--env-file <path>', 'read JWT_SECRET from this .env file (the environment wins)')
    .action(async (options: TokenCommandOptions) => {
      try {
        const minted = await mintTokenForCommand(options);
        for (const warning of minted.warnings) process.stderr.write(`cairn: warning: ${warning}\n`);
        process.stdout.write(`${minted.token}\n`);
        process.stderr.write(
          `Expires ${minted.expiresAt.toISOString()}. It is a credential: keep it out of logs and shells' history.\n`,
        );
      } catch (error) {
        const known =
          error instanceof CliError
            ? error
            : error instanceof ConfigError
              ? new CliError('usage', error.message)
              : new CliError('failure', (error as Error).message);
        process.stderr.write(`cairn: ${known.message}\n`);
        process.exitCode = exitCodeOf(known);
      }
    });
}
