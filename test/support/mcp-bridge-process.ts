import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `cairn-mcp` (turbo builds @cairn/mcp before this package's tests). */
export const BRIDGE_CLI = fileURLToPath(new URL('../../apps/mcp/dist/cli.js', import.meta.url));

export interface Bridge {
  readonly endpoint: URL;
  stop(): Promise<void>;
}

// A failed assertion can leave a bridge behind; never let one outlive the test run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A clean environment for the bridge: only what the test says (no developer CAIRN_* leaks in). */
export function bridgeEnvironment(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
}

/** `cairn-mcp --http` on 127.0.0.1:0, resolved once its `listening` line names the URL. */
export function startHttpBridge(env: Record<string, string>): Promise<Bridge> {
  const child = spawn(process.execPath, [BRIDGE_CLI, '--http'], {
    env: bridgeEnvironment({ MCP_HOST: '127.0.0.1', MCP_PORT: '0', ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`cairn-mcp did not listen within 30 s: ${stderr}`));
    }, 30_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && typeof entry.url === 'string') {
            clearTimeout(timer);
            resolve({ endpoint: new URL(entry.url), stop });
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`cairn-mcp exited before listening: ${stderr}`));
    });
  });
}
