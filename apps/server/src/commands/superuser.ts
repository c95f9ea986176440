import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { isStorageError, openSqlStore, type SqlStore } from '@cairn/storage';
import type { Command } from 'commander';
import { ConfigError, type Environment, readEnvironment } from '../config.js';
import { isCairnError } from '../errors.js';
import { ensureSuperuser } from '../identity/bootstrap/first-user.js';
import { parsePassword, parseUsername } from '../identity/users/account-rules.js';
import { CliError, exitCodeOf } from './cli-error.js';
import { loadOperationsSettings, type OperationsFlags } from './operations-settings.js';

export interface SuperuserFlags extends OperationsFlags {
  readonly username?: string;
  readonly passwordFile?: string;
}

/** How the command asks for what flags and environment do not give (a TTY, or nothing). */
export interface Prompter {
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
  askHidden(question: string): Promise<string>;
}

export interface SuperuserOutcome {
  readonly created: boolean;
  readonly lines: readonly string[];
}

/**
 * `cairn superuser`: creates a superuser in the configured SQL store (DATA_DIR or
 * DATABASE_URL), like SUPERUSER/SUPERUSER_PASSWORD at start. Username from --username or
 * SUPERUSER; password from --password-file, SUPERUSER_PASSWORD, or a hidden prompt (twice).
 */
export async function createSuperuserFromCli(
  flags: SuperuserFlags,
  prompter: Prompter,
  environment?: Environment,
): Promise<SuperuserOutcome> {
  const env = environment ?? readEnvironmentForCli(flags.envFile);
  const username = await readUsername(flags, env, prompter);
  const password = await readPassword(flags, env, prompter);
  // SUPERUSER* are this command's input here, not the server's start-up instruction.
  const settings = loadOperationsSettings(flags, {
    ...env,
    SUPERUSER: undefined,
    SUPERUSER_PASSWORD: undefined,
  });
  const store = await openStore(settings);
  try {
    const outcome = await ensureSuperuser(store, { username, password });
    if (outcome.outcome === 'exists') {
      return {
        created: false,
        lines: [`a user named "${outcome.user.username}" already exists; left unchanged`],
      };
    }
    await store.auditEvents.append({
      action: 'user.create',
      outcome: 'success',
      target: `user:${outcome.user.id}`,
      details: { username: outcome.user.username, isSuperuser: true, via: 'cairn superuser' },
    });
    return { created: true, lines: [`superuser "${outcome.user.username}" created`] };
  } finally {
    await store.close();
  }
}

function readEnvironmentForCli(envFile: string | undefined): Environment {
  try {
    return readEnvironment(envFile);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError('usage', error.problems.join('; '));
    throw error;
  }
}

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isCairnError(error)) throw new CliError('usage', error.message);
    throw error;
  }
}

async function readUsername(flags: SuperuserFlags, env: Environment, prompter: Prompter) {
  let username = flags.username ?? env.SUPERUSER;
  if ((username === undefined || username === '') && prompter.interactive) {
    username = (await prompter.ask('Username: ')).trim();
  }
  if (username === undefined || username === '') {
    throw new CliError('usage', 'no username: pass --username <name> or set SUPERUSER');
  }
  const given = username;
  return asUsage(() => parseUsername(given, '--username'));
}

async function readPassword(flags: SuperuserFlags, env: Environment, prompter: Prompter) {
  if (flags.passwordFile !== undefined) {
    let content: string;
    try {
      content = await readFile(flags.passwordFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new CliError('usage', `--password-file: cannot read ${flags.passwordFile} (${code})`);
    }
    const password = content.replace(/\r?\n$/, '');
    return asUsage(() => parsePassword(password, '--password-file'));
  }
  const fromEnv = env.SUPERUSER_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') {
    return asUsage(() => parsePassword(fromEnv, 'SUPERUSER_PASSWORD'));
  }
  if (!prompter.interactive) {
    throw new CliError(
      'usage',
      'no password: pass --password-file <file>, set SUPERUSER_PASSWORD, or run on a terminal to be asked',
    );
  }
  const password = await prompter.askHidden('Password: ');
  asUsage(() => parsePassword(password, 'password'));
  if ((await prompter.askHidden('Password again: ')) !== password) {
    throw new CliError('usage', 'the passwords differ; nothing was created');
  }
  return password;
}

async function openStore(settings: ReturnType<typeof loadOperationsSettings>): Promise<SqlStore> {
  try {
    return await openSqlStore(
      settings.databaseUrl === undefined
        ? { dataDir: settings.dataDir, onWarning: () => {} }
        : { databaseUrl: settings.databaseUrl, onWarning: () => {} },
    );
  } catch (error) {
    if (isStorageError(error, 'STORE_LOCKED')) {
      throw new CliError(
        'failure',
        `the embedded store in ${settings.dataDir} is in use by a running server: stop it first, or create the user through it (SUPERUSER/SUPERUSER_PASSWORD at start, or the createUser mutation). ${error.message}`,
      );
    }
    throw error;
  }
}

/** A prompter on this process's terminal; hidden answers are not echoed. */
export function createTerminalPrompter(): Prompter {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const question = async (text: string, hidden: boolean) => {
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    try {
      process.stderr.write(text);
      muted = hidden;
      const answer = await rl.question('');
      return answer;
    } finally {
      muted = false;
      if (hidden) process.stderr.write('\n');
      rl.close();
    }
  };
  return {
    interactive,
    ask: (text) => question(text, false),
    askHidden: (text) => question(text, true),
  };
}

export function registerSuperuserCommand(program: Command): void {
  program
    .command('superuser')
    .description(
      'create a superuser in the SQL store (managed mode); asks for the password on a terminal',
    )
    .option('--username <name>', 'the username (default: SUPERUSER, or asked)')
    .option(
      '--password-file <path>',
      'read the password from this file (default: SUPERUSER_PASSWORD, or asked)',
    )
    .option('--env-file <path>', 'read variables from this .env file (the environment wins)')
    .option('--data-dir <dir>', 'use this data directory instead of DATA_DIR')
    .option('--key-file <path>', 'read the master key from this file instead of ENCRYPTION_KEY')
    .action(async (flags: SuperuserFlags) => {
      try {
        const outcome = await createSuperuserFromCli(flags, createTerminalPrompter());
        process.stdout.write(`${outcome.lines.join('\n')}\n`);
      } catch (error) {
        const known =
          error instanceof CliError
            ? error
            : new CliError('failure', (error as Error).message.split('\n')[0] ?? String(error));
        process.stderr.write(`cairn: ${known.message}\n`);
        process.exitCode = exitCodeOf(known);
      }
    });
}
