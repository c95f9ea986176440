// @ts-check
import { spawn } from 'node:child_process';
import { parseJsonDocuments } from './json-documents.js';

/**
 * @typedef {object} PackageResult
 * @property {string} script
 * @property {number} seconds wall time of the whole script
 * @property {number | null} exitCode
 * @property {unknown[]} reports every JSON document the script printed, in order
 * @property {string[]} [otherOutput] stdout lines that were not JSON (kept, not hidden)
 * @property {string} [error]
 */

/**
 * Runs one package's `bench` script through pnpm (as `pnpm --filter <pkg> bench` would) with
 * stdout captured and stderr passed through, so progress lines stay visible at the terminal.
 *
 * @param {import('./packages.js').BenchPackage} benchPackage
 * @param {{ pnpm: string[], env?: NodeJS.ProcessEnv }} options `pnpm` is the command that runs pnpm
 * @returns {Promise<PackageResult>}
 */
export function runPackageBench(benchPackage, options) {
  const [command = 'pnpm', ...prefix] = options.pnpm;
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(command, [...prefix, '--silent', 'run', 'bench'], {
      cwd: benchPackage.directory,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    const finish = (
      /** @type {number | null} */ exitCode,
      /** @type {string | undefined} */ error,
    ) => {
      const { documents, otherLines } = parseJsonDocuments(stdout);
      /** @type {PackageResult} */
      const result = {
        script: benchPackage.script,
        seconds: Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100,
        exitCode,
        reports: documents,
      };
      if (otherLines.length > 0) result.otherOutput = otherLines;
      if (error !== undefined) result.error = error;
      else if (exitCode !== 0) result.error = `the bench script exited with ${exitCode}`;
      else if (documents.length === 0) result.error = 'the bench script printed no JSON';
      resolve(result);
    };
    child.once('error', (error) => finish(null, `could not start pnpm: ${error.message}`));
    child.once('close', (code) => finish(code));
  });
}
