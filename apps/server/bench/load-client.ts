// The load generator, run as a child process so its event loop and CPU time are not the
// server's: CONNECTIONS loops over one keep-alive HTTPS agent for SECONDS, then one JSON line
// on stdout. Input (argv[2], JSON): url, ca (PEM), body template, seconds, connections.
// In the template `%i%` becomes the request counter and `%k%` the counter modulo `keys`.
import { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { postJson } from './https-post.js';

export interface LoadCase {
  readonly url: string;
  readonly ca: string;
  readonly template: string;
  readonly keys: number;
  readonly seconds: number;
  readonly connections: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as LoadCase;
const url = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: input.connections, ca: input.ca });
const latencies: number[] = [];
let counter = 0;

const loop = async () => {
  while (performance.now() < deadline) {
    const i = counter++;
    const body = input.template
      .replaceAll('%i%', String(i))
      .replaceAll('%k%', String(i % input.keys));
    const started = performance.now();
    const result = await postJson(agent, url, body);
    // A GraphQL error is a 200 with `errors`: count it as a failure, not as throughput.
    if (result.status !== 200 || result.body.includes('"errors"')) {
      throw new Error(`HTTP ${result.status}: ${result.body.slice(0, 300)}`);
    }
    latencies.push(performance.now() - started);
  }
};

// Warm-up: open every connection (TLS handshakes) before the clock starts.
let deadline = performance.now() + 500;
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
const result: LoadResult = {
  requests: latencies.length,
  requestsPerSecond: Math.round(latencies.length / elapsed),
  p50Ms: at(0.5),
  p99Ms: at(0.99),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
