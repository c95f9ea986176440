import { type Command, InvalidArgumentError } from 'commander';
import { isTlsConfigError } from '../tls/index.js';
import { backupDataDir } from './backup.js';
import { createDevCertificate } from './certs.js';
import { CliError, exitCodeOf } from './cli-error.js';
import { migrateSqlStore } from './migrate.js';
import { loadOperationsSettings, type OperationsFlags } from './operations-settings.js';
import { createProgress } from './progress.js';
import { restoreDataDir } from './restore.js';
import { rotateMasterKey } from './rotate-master-key.js';
import { verifyDataDir } from './verify.js';

const print = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n`);

/** Expected errors become one line and exit code 2 (usage/configuration) or 1 (failure). */
async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const known =
      error instanceof CliError
        ? error
        : isTlsConfigError(error)
          ? new CliError('usage', error.message)
          : new CliError('failure', (error as Error).message.split('\n')[0] ?? String(error));
    process.stderr.write(`cairn: ${known.message}\n`);
    process.exitCode = exitCodeOf(known);
  }
}

function withDataDirFlags(command: Command): Command {
  return command
    .option('--env-file <path>', 'read variables from this .env file (the environment wins)')
    .option('--data-dir <dir>', 'use this data directory instead of DATA_DIR')
    .option('--key-file <path>', 'read the master key from this file instead of ENCRYPTION_KEY');
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/** `certs dev`, `verify`, `backup`, `restore`, `rotate-master-key`, `migrate`. */
export function registerOperationsCommands(program: Command): void {
  const certs = program.command('certs').description('certificates for TLS');
  certs
    .command('dev')
    .description(
      'make a self-signed certificate for localhost (PKCS#12 keystore + PEM, mode 0600) and print the .env lines',
    )
    .option('--out <dir>', 'directory for cairn-dev.p12/.crt/.key', './certs')
    .option(
      '--name <host...>',
      'extra host names or IP addresses besides localhost, 127.0.0.1, ::1',
    )
    .option('--days <n>', 'validity in days (1-397)', positiveInteger, 30)
    .option('--force', 'replace existing files', false)
    .action((options: { out: string; name?: string[]; days: number; force: boolean }) =>
      run(async () => {
        const made = await createDevCertificate({
          outDir: options.out,
          days: options.days,
          force: options.force,
          ...(options.name ? { extraNames: options.name } : {}),
        });
        print(made.envLines);
        process.stderr.write(
          `Self-signed for ${made.names.join(', ')} until ${made.notAfter.toISOString()}; clients must trust ${made.certPath}. For development only.\n`,
        );
      }),
    );

  withDataDirFlags(
    program
      .command('verify')
      .description(
        "check every database's WAL segments and snapshots under DATA_DIR offline with the master key",
      ),
  ).action((options: OperationsFlags) =>
    run(async () => {
      const outcome = await verifyDataDir(
        loadOperationsSettings(options),
        createProgress(process.stderr),
      );
      print(outcome.lines);
      if (!outcome.ok) process.exitCode = 1;
    }),
  );

  withDataDirFlags(
    program
      .command('backup')
      .description(
        'copy the encrypted state of DATA_DIR (databases and embedded SQL store) to <dest>; never decrypts',
      )
      .argument('<dest>', 'an empty or new directory outside DATA_DIR')
      .option('--force', 'replace a non-empty destination', false),
  ).action((dest: string, options: OperationsFlags & { force: boolean }) =>
    run(async () => {
      const outcome = await backupDataDir(loadOperationsSettings(options), {
        dest,
        force: options.force,
        progress: createProgress(process.stderr),
      });
      print(outcome.lines);
    }),
  );

  withDataDirFlags(
    program
      .command('restore')
      .description(
        'put a backup made by `cairn backup` back into DATA_DIR (the server must be stopped)',
      )
      .argument('<src>', 'the backup directory')
      .option('--force', 'replace the state already in DATA_DIR', false),
  ).action((source: string, options: OperationsFlags & { force: boolean }) =>
    run(async () => {
      const settings = loadOperationsSettings(options);
      const outcome = await restoreDataDir({
        source,
        dataDir: settings.dataDir,
        force: options.force,
        progress: createProgress(process.stderr),
      });
      print(outcome.lines);
    }),
  );

  withDataDirFlags(
    program
      .command('rotate-master-key')
      .description(
        "re-wrap every database's data key under a new master key (no data rewritten; server stopped)",
      )
      .option('--new-key-file <path>', 'the new key (from `cairn keygen`); default: generate one'),
  ).action((options: OperationsFlags & { newKeyFile?: string }) =>
    run(async () => {
      const outcome = await rotateMasterKey(loadOperationsSettings(options), {
        ...(options.newKeyFile ? { newKeyFile: options.newKeyFile } : {}),
        progress: createProgress(process.stderr),
      });
      print(outcome.lines);
    }),
  );

  withDataDirFlags(
    program
      .command('migrate')
      .description('apply pending SQL migrations (embedded PGlite in DATA_DIR, or DATABASE_URL)'),
  ).action((options: OperationsFlags) =>
    run(async () => {
      print((await migrateSqlStore(loadOperationsSettings(options))).lines);
    }),
  );
}
