import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
const ENCRYPTION_KEY = formatKey(generateMasterKey());
const ROUNDS = 3;
const WRITERS = 16;

beforeAll(async () => {
  data = await createTempDataDir();
});
afterAll(async () => data?.remove());

/** Writers tell facts until the server dies; returns every fact the server acknowledged. */
async function burst(
  server: ServerProcess,
  round: number,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<string[]> {
  const acknowledged: string[] = [];
  let alive = true;
  const writer = async (w: number) => {
    for (let i = 0; alive; i++) {
      const fact = `r${round}w${w}i${i}`;
      try {
        const result = await server.graphql(`mutation { tell(fact: "acked(${fact})") { text } }`);
        if (result.status === 200 && result.body.errors === undefined) acknowledged.push(fact);
      } catch {
        alive = false; // connection refused or reset: the server is gone
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  // Kill at a random moment mid-burst, with no warning (SIGKILL: no shutdown code runs).
  await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 800));
  server.child.kill(signal);
  await Promise.all(writers);
  return acknowledged;
}

async function storedFacts(server: ServerProcess): Promise<Set<string>> {
  const result = await server.graphql('{ ask(query: "acked(?f)", limit: 10000) { solutions } }');
  const solutions = (result.body.data?.ask as { solutions: Array<{ f: string }> } | undefined)
    ?.solutions;
  if (solutions === undefined) throw new Error(`ask failed: ${JSON.stringify(result.body)}`);
  return new Set(solutions.map((s) => s.f));
}

test('SIGKILL during a write burst loses no acknowledged fact', async () => {
  const env = { DATA_DIR: data.dir, ENCRYPTION_KEY, SNAPSHOT_EVERY_OPERATIONS: '150' };
  const acknowledged: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServer(env);
    try {
      // Everything acknowledged before earlier kills is there. (A fact whose answer was cut
      // off by the kill may be there too: durable, just never acknowledged.)
      const stored = await storedFacts(server);
      expect(acknowledged.filter((fact) => !stored.has(fact))).toEqual([]);
      acknowledged.push(...(await burst(server, round)));
    } finally {
      await server.stop('SIGKILL');
    }
  }
  expect(acknowledged.length).toBeGreaterThan(ROUNDS * WRITERS);
  const server = await startServer(env);
  try {
    const stored = await storedFacts(server);
    expect(acknowledged.filter((fact) => !stored.has(fact))).toEqual([]);
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

test('SIGTERM during a write burst finishes the writes in flight and exits 0', async () => {
  const env = { DATA_DIR: data.dir, ENCRYPTION_KEY };
  const server = await startServer(env);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
  const acknowledged = await burst(server, 100, 'SIGTERM');
  expect(await exited).toBe(0);
  expect(server.logs.some((line) => String(line.msg).startsWith('stopped'))).toBe(true);
  const again = await startServer(env);
  try {
    const stored = await storedFacts(again);
    expect(acknowledged.filter((fact) => !stored.has(fact))).toEqual([]);
  } finally {
    await again.stop();
  }
});
