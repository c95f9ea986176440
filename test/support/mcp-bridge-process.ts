import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitForListening } from './listening-line.js';

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
export async function startHttpBridge(env: Record<string, string>): Promise<Bridge> {
  const child = spawn(process.execPath, [BRIDGE_CLI, '--http'], {
    env: bridgeEnvironment({ MCP_HOST: '127.0.0.1', MCP_PORT: '0', ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    stderr += String(chunk);
  });
  const url = await waitForListening({
    stream: child.stderr,
    exited,
    timeoutMs: 30_000,
    name: 'cairn-mcp --http',
    output: () => stderr,
    onTimeout: () => void stop(),
  });
  return { endpoint: new URL(url), stop };
}
