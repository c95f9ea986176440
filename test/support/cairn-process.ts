import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (turbo builds @cairn/server before this package's tests). */
export const CAIRN_CLI = fileURLToPath(new URL('../../apps/server/dist/cli.js', import.meta.url));

export type CairnEnv = Record<string, string>;

/** A clean environment: only what the test sets, so the machine's variables cannot leak in. */
function environment(env: CairnEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
}

export interface CairnResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cairn <args>` to completion. */
export function runCairn(args: readonly string[], env: CairnEnv = {}): Promise<CairnResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CAIRN_CLI, ...args],
      { env: environment(env), timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface RunningCairn {
  readonly child: ChildProcess;
  /** `https://127.0.0.1:<port>` as announced in the `listening` log line. */
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/** Starts `cairn serve` on 127.0.0.1:0 (JSON logs) and waits for its `listening` line. */
export function startCairnServe(env: CairnEnv, limitMs = 60_000): Promise<RunningCairn> {
  const child = spawn(process.execPath, [CAIRN_CLI, 'serve'], {
    env: environment({ HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`cairn serve did not announce itself in ${limitMs} ms: ${stderr}`));
    }, limitMs);
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'listening' && typeof entry.url === 'string') {
            clearTimeout(timer);
            resolve({ child, url: entry.url, logs, stop });
          }
        } catch {
          // not a log line
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cairn serve exited with ${code} before listening: ${stderr}`));
    });
  });
}
