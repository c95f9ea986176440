#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createKeygenOutput, parseKeyEncoding } from './commands/keygen.js';
import { registerOperationsCommands } from './commands/register-operations.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSuperuserCommand } from './commands/superuser.js';
import { registerTokenCommand } from './commands/token.js';

// Exit codes: 0 success, 1 failure at run time, 2 bad usage or configuration.
const EXIT_USAGE = 2;

function createProgram(): Command {
  const program = new Command('cairn')
    .description('Cairn: a secure knowledge memory server for AI agents')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('keygen')
    .description('print a fresh 256-bit master key (and optionally a JWT secret) as .env lines')
    .option('--format <encoding>', 'key encoding: base64 or hex', (value) => {
      try {
        return parseKeyEncoding(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    })
    .option('--jwt-secret', 'also print a JWT_SECRET for external HS256 tokens', false)
    .action((options: { format?: 'base64' | 'hex'; jwtSecret: boolean }) => {
      const lines = createKeygenOutput({
        encoding: options.format ?? 'base64',
        jwtSecret: options.jwtSecret,
      });
      process.stdout.write(`${lines.join('\n')}\n`);
      process.stderr.write(
        'Keep these secret: store them in a secret manager or a file only the server can read.\n',
      );
    });

  registerServeCommand(program);
  registerOperationsCommands(program);
  registerSuperuserCommand(program);
  registerTokenCommand(program);

  return program;
}

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`cairn: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
