// `pnpm bench`: the `ask` tool through the bridge (Streamable HTTP) against the same GraphQL `ask`
// sent directly with @cairn/client, in one run against one real `cairn serve` (legacy API_KEY
// mode). Each MCP endpoint (the bridge, and the server's in-process /mcp when mounted) is measured
// twice: with the SDK's Client (what an agent runs), and with a plain JSON-RPC POST over the same
// undici as @cairn/client (the same client work as the baseline, so the ratio is the endpoint's
// own cost). A pass-through proxy measures the floor of any second process in front of the API.
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
import { loadUndici } from './undici.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const API_KEY = 'bench-shared-key-0123456789abcdef';
const QUERY = 'ancestor(a0, ?who)';

const here = fileURLToPath(new URL('.', import.meta.url));
const serverCli = join(here, '../../server/dist/cli.js');
const bridgeCli = join(here, '../src/cli.ts');
const proxyScript = join(here, 'pass-through-proxy.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
const ROUNDS = 4;

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

/**
 * An MCP session driven by plain JSON-RPC POSTs: the headers the SDK's client sends, one
 * `undici.request` and one JSON.parse per call — what @cairn/client does for the baseline.
 */
async function connectPlainMcp(endpoint: URL, expected: number) {
  const { Agent, request } = loadUndici();
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${API_KEY}`,
  };
  const post = async (message: unknown) => {
    const answer = await request(endpoint, {
      method: 'POST',
      headers,
      body: Buffer.from(JSON.stringify(message)),
      dispatcher,
    });
    return { answer, text: await answer.body.text() };
  };
  const { answer } = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'bench-plain', version: '0' },
    },
  });
  const sessionId = answer.headers['mcp-session-id'];
  if (typeof sessionId !== 'string') throw new Error(`no session from ${endpoint.href}`);
  headers['mcp-session-id'] = sessionId;
  headers['mcp-protocol-version'] = '2025-11-25';
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  let id = 1;
  return {
    call: async () => {
      const { answer: reply, text } = await post({
        jsonrpc: '2.0',
        id: id++,
        method: 'tools/call',
        params: { name: 'ask', arguments: { query: QUERY } },
      });
      const message = JSON.parse(text) as { result?: { structuredContent?: { count?: number } } };
      if (reply.statusCode !== 200 || message.result?.structuredContent?.count !== expected)
        throw new Error('wrong answer');
    },
    close: () => dispatcher.close(),
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-bench-'));
  try {
    const loadAtStart = loadavg()[0];
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
    const proxyUrl = await startListening(
      ['--import', tsx, proxyScript],
      { TARGET_URL: apiUrl },
      'stderr',
    );
    const [serverProcess, bridgeProcess, proxyProcess] = children;

    const connection = openApiConnection({ url: apiUrl });
    const direct = createCairnClient(connection.executor(API_KEY));
    // A small family tree, so `ask` does real inference (recursive rule over 30 facts).
    await direct.tellMany({
      facts: Array.from({ length: 30 }, (_, i) => `parent(a${i}, a${i + 1})`),
    });
    await direct.teach({ rule: 'ancestor(?x, ?y) :- parent(?x, ?y)' });
    await direct.teach({ rule: 'ancestor(?x, ?z) :- parent(?x, ?y), ancestor(?y, ?z)' });
    const expected = (await direct.ask({ query: QUERY })).count;
    const check = (count: number | undefined) => {
      if (count !== expected) throw new Error('wrong answer');
    };
    const sdkCall = (client: Client) => async () => {
      const result = await client.callTool({ name: 'ask', arguments: { query: QUERY } });
      check((result.structuredContent as { count?: number } | undefined)?.count);
    };

    const proxyConnection = openApiConnection({ url: proxyUrl });
    const viaProxy = createCairnClient(proxyConnection.executor(API_KEY));
    const bridge = await connectMcp(new URL(bridgeUrl));
    const bridgePlain = await connectPlainMcp(new URL(bridgeUrl), expected);
    const inProcessEndpoint = new URL('/mcp', apiUrl);
    const mounted =
      (await fetch(new URL('/.well-known/oauth-protected-resource', apiUrl))).status === 200;
    const inProcess = mounted ? await connectMcp(inProcessEndpoint) : undefined;
    const inProcessPlain = mounted ? await connectPlainMcp(inProcessEndpoint, expected) : undefined;

    interface Variant {
      readonly key: string;
      readonly name: string;
      readonly call: () => Promise<unknown>;
      /** Processes whose CPU time is charged to this variant. */
      readonly processes: Record<string, ChildProcess | undefined>;
    }
    const variants: Variant[] = [
      {
        key: 'direct',
        name: 'GraphQL ask direct (@cairn/client, keep-alive) — baseline',
        call: async () => check((await direct.ask({ query: QUERY })).count),
        processes: { server: serverProcess },
      },
      {
        key: 'bridge',
        name: 'MCP ask tool via cairn-mcp --http (SDK client, session reused)',
        call: sdkCall(bridge),
        processes: { server: serverProcess, bridge: bridgeProcess },
      },
      {
        key: 'bridgeSameClient',
        name: 'MCP ask tool via cairn-mcp --http (plain JSON-RPC POST, same undici as baseline)',
        call: bridgePlain.call,
        processes: { server: serverProcess, bridge: bridgeProcess },
      },
      ...(inProcess === undefined || inProcessPlain === undefined
        ? []
        : [
            {
              key: 'inProcess',
              name: 'MCP ask tool via cairn serve /mcp (in-process, SDK client)',
              call: sdkCall(inProcess),
              processes: { server: serverProcess },
            },
            {
              key: 'inProcessSameClient',
              name: 'MCP ask tool via cairn serve /mcp (in-process, plain JSON-RPC POST)',
              call: inProcessPlain.call,
              processes: { server: serverProcess },
            },
          ]),
      {
        key: 'hopFloor',
        name: 'GraphQL ask via a pass-through proxy process (floor of any second hop)',
        call: async () => check((await viaProxy.ask({ query: QUERY })).count),
        processes: { server: serverProcess, proxy: proxyProcess },
      },
    ];

    // Interleaved rounds so drift on a shared machine hits every variant alike.
    const samples = new Map(variants.map((variant) => [variant.key, [] as number[][]]));
    const cpu = new Map(variants.map((variant) => [variant.key, {} as Record<string, number>]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) {
        const before = Object.entries(variant.processes).map(([name, child]) => [
          name,
          cpuMs(child),
        ]);
        samples.get(variant.key)?.push(await measure(variant.call));
        const used = cpu.get(variant.key) ?? {};
        for (const [name, at] of before as [string, number][])
          used[name] = (used[name] ?? 0) + cpuMs(variant.processes[name]) - at;
      }
    }
    const calls = ROUNDS * (ITERATIONS + WARMUP);
    const perCall = (ms: number) => Math.round((ms / calls) * 1000) / 1000;
    const round2 = (value: number) => Math.round(value * 100) / 100;
    const directRounds = (samples.get('direct') ?? []).map((round) => summarise(round).p50Ms);
    const directP50 = summarise((samples.get('direct') ?? []).flat()).p50Ms;
    const results = Object.fromEntries(
      variants.map((variant) => {
        const rounds = samples.get(variant.key) ?? [];
        const summary = summarise(rounds.flat());
        return [
          variant.key,
          {
            name: variant.name,
            ...summary,
            p50VsDirect: round2(summary.p50Ms / directP50),
            // The ratio within each round (same minute, same load), then its median.
            p50VsDirectMedianOfRounds: round2(
              median(rounds.map((round, i) => summarise(round).p50Ms / (directRounds[i] ?? 1))),
            ),
            // CPU per call (ms, /proc at 10 ms resolution, all threads): less sensitive than
            // latency to a busy machine.
            cpuMsPerCall: Object.fromEntries(
              Object.entries(cpu.get(variant.key) ?? {}).map(([name, ms]) => [name, perCall(ms)]),
            ),
          },
        ];
      }),
    );
    const bridgeRatio = results.bridge?.p50VsDirect ?? Number.NaN;
    const sameClientRatio = results.bridgeSameClient?.p50VsDirect ?? Number.NaN;
    const report = {
      bench: 'mcp-ask-latency',
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      query: QUERY,
      answers: expected,
      sequentialCallsPerVariant: ITERATIONS * ROUNDS,
      loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] },
      ...results,
      target: {
        bridgeP50VsDirect: 1.5,
        metWithSdkClient: bridgeRatio <= 1.5,
        metWithSameClientWork: sameClientRatio <= 1.5,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    await bridge.close();
    await bridgePlain.close();
    await inProcess?.close();
    await inProcessPlain?.close();
    await proxyConnection.close();
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
