import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForListening } from './listening-line.js';

/** The built CLI (turbo builds @cairn/server before this package's tests). */
export const CAIRN_CLI = fileURLToPath(new URL('../../apps/server/dist/cli.js', import.meta.url));

export type ServerEnvironment = Record<string, string | undefined>;

export interface GraphqlResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

export interface ServerProcess {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly child: ChildProcess;
  /** Parsed JSON log lines so far (stdout). */
  readonly logs: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphqlResponse>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function createTempDataDir(
  prefix = 'cairn-e2e-',
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// A failed assertion can leave a started server behind; never let one outlive the test run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function childEnvironment(env: ServerEnvironment): NodeJS.ProcessEnv {
  // Only what the test says: the developer's own CAIRN_* or API_KEY must not leak in.
  const out: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: '0',
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

function assertBuilt(): void {
  if (!existsSync(CAIRN_CLI)) {
    throw new Error(
      `${CAIRN_CLI} is missing: run \`pnpm build\` (turbo builds it before these tests)`,
    );
  }
}

/** Starts `cairn serve` and resolves once its "listening" log line names the URL. */
export async function startServer(
  env: ServerEnvironment,
  options: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [CAIRN_CLI, 'serve'], {
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const url = await waitForListening({
    stream: child.stdout,
    exited,
    timeoutMs: options.timeoutMs ?? 60_000,
    name: 'cairn serve',
    output: () => stderr,
    onTimeout: () => child.kill('SIGKILL'),
    onRecord: (record) => logs.push(record),
  });
  const graphqlUrl = `${url}/graphql`;
  return {
    url,
    graphqlUrl,
    child,
    logs,
    stderr: () => stderr,
    async graphql(query, variables = {}, headers = {}) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphqlResponse['body'],
      };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

export interface FinishedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cairn <args>` to completion (e.g. a start that must fail), bounded by a timeout. */
export async function runCairn(
  args: readonly string[],
  env: ServerEnvironment = {},
  timeoutMs = 60_000,
): Promise<FinishedRun> {
  assertBuilt();
  const child = spawn(process.execPath, [CAIRN_CLI, ...args], {
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
