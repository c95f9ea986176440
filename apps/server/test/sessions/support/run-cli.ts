import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `cairn` CLI from source in a child process. */
export async function runCairn(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@cairn/source', '--import', tsx, cli, ...args],
      { timeout: 30_000, env: { PATH: process.env.PATH, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
