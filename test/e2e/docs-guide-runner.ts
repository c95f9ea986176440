import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAIRN_CLI } from '../support/server-process.js';
import { type FencedBlock, findMissingLine, runShellBlock } from './docs-markdown.js';

// Runs a guide from docs/ as a reader would, in a scratch directory:
// - ```sh blocks run in order (each its own bash; files carry state from one to the next);
// - a ```json or ```text block right after one is the output it must print;
// - ```sh illustration (and ```text illustration) blocks are only shown, never run or checked;
// - ```sh server starts a server with the command written there (a running one is stopped
//   first); ```sh stopped stops the server before running the block.
// `pnpm cairn …` and `pnpm cairn-mcp …` are the built CLIs, the documented port 9300 becomes a free port.

const DOCUMENTED_PORT = '9300';
const CAIRN_MCP_CLI = fileURLToPath(new URL('../../apps/mcp/dist/cli.js', import.meta.url));

export interface GuideStep {
  readonly block: FencedBlock;
  readonly output?: FencedBlock;
}

export function readGuideSteps(blocks: readonly FencedBlock[], guide: string): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.language === 'sh' && block.tags.includes('illustration')) {
    } else if (block.language === 'sh') {
      steps.push({ block });
    } else if (block.language === 'json' || block.language === 'text') {
      const step = steps.at(-1);
      if (!block.followsPrevious || step === undefined || step.block !== blocks[index - 1]) {
        // Shown output with no command before it would silently check nothing: only allowed
        // when marked as an illustration.
        if (block.tags.includes('illustration')) continue;
        throw new Error(`${guide} line ${block.line}: output block without a command`);
      }
      steps[steps.length - 1] = { ...step, output: block };
    }
  }
  return steps;
}

async function findFreePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(String(address.port))
          : reject(new Error('no port')),
      );
    });
  });
}

interface RunningServer {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `[VAR=value …] pnpm cairn serve [args]` or `[VAR=value …] pnpm start` → env and CLI args. */
export function parseServerCommand(command: string): {
  env: Record<string, string>;
  args: string[];
} {
  const words = command.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [name = '', ...value] = (words.shift() ?? '').split('=');
    env[name] = value.join('=');
  }
  const rest = words.join(' ');
  if (rest === 'pnpm start') return { env, args: ['serve'] };
  const serve = /^pnpm cairn serve(?: (.*))?$/.exec(rest);
  if (serve === null) throw new Error(`not a server start command: ${command}`);
  return { env, args: ['serve', ...(serve[1]?.split(' ') ?? [])] };
}

export interface GuideSession {
  readonly directory: string;
  readonly port: string;
  substitute(text: string): string;
  runStep(step: GuideStep): Promise<void>;
  close(): Promise<void>;
}

export async function openGuideSession(
  check: (ok: boolean, message: string) => void,
  /** Further text to replace in commands and outputs, e.g. an example URL by a real one. */
  replacements: Readonly<Record<string, string>> = {},
): Promise<GuideSession> {
  const directory = await mkdtemp(join(tmpdir(), 'cairn-docs-guide-'));
  const port = await findFreePort();
  let server: RunningServer | undefined;

  const substitute = (text: string) =>
    Object.entries(replacements).reduce(
      (result, [from, to]) => result.replaceAll(from, to),
      text.replaceAll(DOCUMENTED_PORT, port),
    );

  const stopServer = async () => {
    if (server === undefined) return;
    const { child, exited } = server;
    server = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const code = await exited;
    running.delete(child);
    check(code === 0, `the server stopped with exit code ${code}`);
  };

  const startServer = async (command: string): Promise<string> => {
    await stopServer();
    const { env, args } = parseServerCommand(substitute(command));
    const child = spawn(process.execPath, [CAIRN_CLI, ...args], {
      cwd: directory,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_FORMAT: 'json',
        ...env,
        PORT: port,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    server = { child, output: () => output, exited };
    const deadline = Date.now() + 60_000;
    while (!/"msg":"listening"/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the server did not start (${child.exitCode ?? 'timeout'}):\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The announcement that follows "listening" is written right after it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return output;
  };

  const expectOutput = (output: FencedBlock, actual: string) => {
    const expected = substitute(output.body);
    if (output.language === 'json') {
      let same = false;
      try {
        same = JSON.stringify(JSON.parse(actual)) === JSON.stringify(JSON.parse(expected));
      } catch {
        same = false;
      }
      check(same, `line ${output.line}: expected\n${expected}\nbut the command printed\n${actual}`);
      return;
    }
    const missing = findMissingLine(expected, actual);
    check(
      missing === undefined,
      `line ${output.line}: "${missing}" is not in the output:\n${actual}`,
    );
  };

  return {
    directory,
    port,
    substitute,
    async runStep(step) {
      const { block, output } = step;
      if (block.tags.includes('server')) {
        const printed = await startServer(block.body);
        if (output !== undefined) expectOutput(output, printed);
        return;
      }
      if (block.tags.includes('stopped')) await stopServer();
      const pnpm = process.env.npm_execpath;
      const realPnpm =
        pnpm !== undefined && /pnpm\.c?js$/.test(pnpm)
          ? `"${process.execPath}" "${pnpm}"`
          : 'command pnpm';
      const prelude = [
        'pnpm() {',
        `  if [ "$1" = cairn ]; then shift; "${process.execPath}" "${CAIRN_CLI}" "$@";`,
        `  elif [ "$1" = cairn-mcp ]; then shift; "${process.execPath}" "${CAIRN_MCP_CLI}" "$@";`,
        `  else ${realPnpm} "$@"; fi`,
        '}',
        '',
      ].join('\n');
      const result = await runShellBlock(`${prelude}${substitute(block.body)}`, 120_000, directory);
      check(result.code === 0, `line ${block.line}: exit code ${result.code}\n${result.stderr}`);
      if (output === undefined) return;
      expectOutput(
        output,
        output.language === 'json' ? result.stdout : `${result.stdout}${result.stderr}`,
      );
    },
    async close() {
      await stopServer();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
