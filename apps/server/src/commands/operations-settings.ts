import { ConfigError, type Environment, parseConfig, readEnvironment } from '../config.js';
import { CliError } from './cli-error.js';
import type { DataDirSettings } from './data-dir.js';

/** Flags every operations command takes; they override the environment for this run. */
export interface OperationsFlags {
  readonly envFile?: string;
  readonly dataDir?: string;
  readonly keyFile?: string;
}

/**
 * DATA_DIR, DATABASE_URL and the master keys, read through config.ts like `cairn serve` reads
 * them, so an operations command sees exactly the server's configuration. `--data-dir` and
 * `--key-file` stand in for DATA_DIR and ENCRYPTION_KEY_FILE (e.g. to check a copy).
 */
export function loadOperationsSettings(
  flags: OperationsFlags,
  environment?: Environment,
): DataDirSettings {
  try {
    const env: Record<string, string | undefined> = {
      ...(environment ?? readEnvironment(flags.envFile)),
    };
    if (flags.dataDir !== undefined) env.DATA_DIR = flags.dataDir;
    if (flags.keyFile !== undefined) {
      env.ENCRYPTION_KEY = undefined;
      env.ENCRYPTION_KEY_FILE = flags.keyFile;
    }
    const { config } = parseConfig(env);
    return {
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      masterKeys: config.masterKeys,
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError('usage', error.problems.join('; '), { cause: error });
    }
    throw error;
  }
}
