// The auth bench's load generator, a child process so its CPU is not the server's:
// CONNECTIONS loops over one keep-alive HTTP agent for SECONDS, then one JSON line on stdout.
// Input (argv[2], JSON): url, headers, body, seconds, connections.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { postJson } from './https-post.js';

export interface AuthLoadCase {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly seconds: number;
  readonly connections: number;
}

export interface AuthLoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as AuthLoadCase;
const url = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: input.connections });
const latencies: number[] = [];
let deadline = 0;
const loop = async () => {
  while (performance.now() < deadline) {
    const started = performance.now();
    const result = await postJson(agent, url, input.body, input.headers);
    // A refused credential would make the authenticated case look fast: fail loudly instead.
    if (result.status !== 200 || result.body.includes('"errors"')) {
      throw new Error(`HTTP ${result.status}: ${result.body.slice(0, 300)}`);
    }
    latencies.push(performance.now() - started);
  }
};

deadline = performance.now() + 500;
await Promise.all(Array.from({ length: input.connections }, loop));
latencies.length = 0;
deadline = performance.now() + input.seconds * 1000;
const started = performance.now();
await Promise.all(Array.from({ length: input.connections }, loop));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();

latencies.sort((a, b) => a - b);
const at = (q: number) =>
  Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 100) / 100;
const result: AuthLoadResult = {
  requests: latencies.length,
  requestsPerSecond: Math.round(latencies.length / elapsed),
  p50Ms: at(0.5),
  p99Ms: at(0.99),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
