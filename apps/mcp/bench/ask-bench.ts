// `pnpm bench`: the `ask` tool through the bridge (Streamable HTTP, SDK client) against the same
// GraphQL `ask` sent directly with @cairn/client, in one run against one real `cairn serve`
// (legacy API_KEY mode). Also the server's in-process /mcp endpoint when it is mounted.
// Prints one JSON document. Target: bridge p50 ≤ 1.5 × direct p50.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCairnClient, openApiConnection } from '@cairn/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const API_KEY = 'bench-shared-key-0123456789abcdef';
const QUERY = 'ancestor(a0, ?who)';

const here = fileURLToPath(new URL('.', import.meta.url));
const serverCli = join(here, '../../server/dist/cli.js');
const bridgeCli = join(here, '../src/cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Spawns a process and resolves with the URL of its first `listening` JSON line. */
function startListening(
  args: string[],
  env: Record<string, string>,
  stream: 'stdout' | 'stderr',
): Promise<string> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let pending = '';
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no listening line in 60 s: ${output}`)),
      60_000,
    );
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && entry.url !== undefined) {
            clearTimeout(timer);
            resolve(entry.url);
          }
        } catch {
          // not JSON
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

function summarise(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    n: sorted.length,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    meanMs: round(mean),
  };
}

/** CPU time (user + system, ms) a child process has used so far, from /proc (Linux). */
function cpuMs(child: ChildProcess | undefined): number {
  if (child?.pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat; here 11 and 12 after "pid (comm) ".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function measure(call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

async function connectMcp(endpoint: URL): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(endpoint, {
      requestInit: { headers: { authorization: `Bearer ${API_KEY}` } },
    }),
  );
  return client;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-bench-'));
  try {
    const apiUrl = await startListening(
      [serverCli, 'serve'],
      { HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', DATA_DIR: dataDir, API_KEY },
      'stdout',
    );
    const bridgeUrl = await startListening(
      [
        // BENCH_PROFILE_DIR=<dir> writes a CPU profile of the bridge there (--cpu-prof).
        ...(process.env.BENCH_PROFILE_DIR === undefined
          ? []
          : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]),
        '--conditions=@cairn/source',
        '--import',
        tsx,
        bridgeCli,
        '--http',
      ],
      { CAIRN_URL: apiUrl, MCP_HOST: '127.0.0.1', MCP_PORT: '0' },
      'stderr',
    );

    const connection = openApiConnection({ url: apiUrl });
    const direct = createCairnClient(connection.executor(API_KEY));
    // A small family tree, so `ask` does real inference (recursive rule over 30 facts).
    await direct.tellMany({
      facts: Array.from({ length: 30 }, (_, i) => `parent(a${i}, a${i + 1})`),
    });
    await createCairnClient(connection.executor(API_KEY)).teach({
      rule: 'ancestor(?x, ?y) :- parent(?x, ?y)',
    });
    await direct.teach({ rule: 'ancestor(?x, ?z) :- parent(?x, ?y), ancestor(?y, ?z)' });
    const expected = (await direct.ask({ query: QUERY })).count;

    const bridge = await connectMcp(new URL(bridgeUrl));
    const viaBridge = async () => {
      const result = await bridge.callTool({ name: 'ask', arguments: { query: QUERY } });
      if ((result.structuredContent as { count?: number } | undefined)?.count !== expected)
        throw new Error('wrong answer');
    };
    const viaDirect = async () => {
      if ((await direct.ask({ query: QUERY })).count !== expected) throw new Error('wrong answer');
    };

    const inProcessEndpoint = new URL('/mcp', apiUrl);
    const mounted =
      (await fetch(new URL('/.well-known/oauth-protected-resource', apiUrl))).status === 200;
    const inProcess = mounted ? await connectMcp(inProcessEndpoint) : undefined;
    const viaInProcess = async () => {
      const result = await inProcess?.callTool({ name: 'ask', arguments: { query: QUERY } });
      if ((result?.structuredContent as { count?: number } | undefined)?.count !== expected)
        throw new Error('wrong answer');
    };

    // Interleaved rounds so drift on a shared machine hits every variant alike.
    const rounds = 4;
    const samples = { direct: [] as number[], bridge: [] as number[], inProcess: [] as number[] };
    const [serverProcess, bridgeProcess] = children;
    const cpu = { serverDirect: 0, serverBridge: 0, bridge: 0, serverInProcess: 0 };
    for (let round = 0; round < rounds; round++) {
      let before = cpuMs(serverProcess);
      samples.direct.push(...(await measure(viaDirect)));
      cpu.serverDirect += cpuMs(serverProcess) - before;
      before = cpuMs(serverProcess);
      const bridgeBefore = cpuMs(bridgeProcess);
      samples.bridge.push(...(await measure(viaBridge)));
      cpu.serverBridge += cpuMs(serverProcess) - before;
      cpu.bridge += cpuMs(bridgeProcess) - bridgeBefore;
      if (inProcess !== undefined) {
        before = cpuMs(serverProcess);
        samples.inProcess.push(...(await measure(viaInProcess)));
        cpu.serverInProcess += cpuMs(serverProcess) - before;
      }
    }
    const calls = rounds * (ITERATIONS + WARMUP);
    const perCall = (ms: number) => Math.round((ms / calls) * 1000) / 1000;
    const directSummary = summarise(samples.direct);
    const bridgeSummary = summarise(samples.bridge);
    const inProcessSummary = inProcess === undefined ? null : summarise(samples.inProcess);
    const ratio = (value: number) => Math.round((value / directSummary.p50Ms) * 100) / 100;
    const report = {
      bench: 'mcp-ask-latency',
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      query: QUERY,
      answers: expected,
      sequentialCallsPerVariant: ITERATIONS * rounds,
      baseline: { name: 'GraphQL ask direct (@cairn/client, keep-alive)', ...directSummary },
      bridge: {
        name: 'MCP ask tool via cairn-mcp --http (SDK client, session reused)',
        ...bridgeSummary,
      },
      inProcess:
        inProcessSummary === null
          ? null
          : { name: 'MCP ask tool via cairn serve /mcp (in-process)', ...inProcessSummary },
      // CPU per call (ms, /proc at 10 ms resolution): less sensitive than latency to a busy machine.
      cpuMsPerCall: {
        serverForDirect: perCall(cpu.serverDirect),
        serverForBridge: perCall(cpu.serverBridge),
        bridgeProcess: perCall(cpu.bridge),
        ...(inProcess === undefined ? {} : { serverForInProcess: perCall(cpu.serverInProcess) }),
      },
      loadAverage1m: loadavg()[0],
      ratios: {
        bridgeP50VsDirect: ratio(bridgeSummary.p50Ms),
        ...(inProcessSummary === null
          ? {}
          : { inProcessP50VsDirect: ratio(inProcessSummary.p50Ms) }),
      },
      target: { bridgeP50VsDirect: 1.5, met: ratio(bridgeSummary.p50Ms) <= 1.5 },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    await bridge.close();
    await inProcess?.close();
    await connection.close();
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
