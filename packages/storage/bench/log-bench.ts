/*
 * pnpm bench: durable appends/s of the operation log at concurrency 1, 16 and 256 (sync
 * 'always'), against the same path without encryption and against raw fs write + fdatasync,
 * all measured in this run; then recovery time for one million operations. Prints JSON.
 */
import { open, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createKeyRing, generateMasterKey } from '@cairn/crypto';
import { openDatabaseLogWithCipher } from '../src/log/database-log.js';
import type { OpenDatabaseLogOptions } from '../src/log/operation-log.js';
import { aeadRecordCipher, type RecordCipher } from '../src/log/record-cipher.js';
import { plaintextCipherForBenchmarkOnly } from './plaintext-cipher.js';

const PAYLOAD_BYTES = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '1.5');
const RECOVERY_OPERATIONS = Number(process.env.BENCH_RECOVERY_OPERATIONS ?? '1000000');
const FRAME_BYTES = PAYLOAD_BYTES + 8 + 8 + 37;
const masterKeys = createKeyRing(generateMasterKey());
const root = join(tmpdir(), `cairn-log-bench-${process.pid}`);
let runs = 0;

function options(dir: string, extra: Partial<OpenDatabaseLogOptions> = {}): OpenDatabaseLogOptions {
  return { dir, databaseId: 'bench', masterKeys, ...extra };
}

async function appendsPerSecond(cipher: RecordCipher, concurrency: number): Promise<number> {
  runs += 1;
  const dir = join(root, `run-${runs}`);
  const log = await openDatabaseLogWithCipher(options(dir), cipher);
  const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
  const deadline = performance.now() + SECONDS * 1000;
  let count = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await log.append(payload);
        count += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await log.close();
  await rm(dir, { recursive: true, force: true });
  return Math.round(count / elapsed);
}

/** Raw fs: `batch` frames per write, one fdatasync per write. */
async function rawAppendsPerSecond(batch: number): Promise<number> {
  runs += 1;
  const file = join(root, `raw-${runs}`);
  const handle = await open(file, 'w');
  const buffer = Buffer.alloc(FRAME_BYTES * batch, 7);
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  let count = 0;
  let position = 0;
  while (performance.now() < deadline) {
    await handle.write(buffer, 0, buffer.length, position);
    position += buffer.length;
    await handle.datasync();
    count += batch;
  }
  const elapsed = (performance.now() - start) / 1000;
  await handle.close();
  await rm(file, { force: true });
  return Math.round(count / elapsed);
}

async function recovery(): Promise<Record<string, number>> {
  const dir = join(root, 'recovery');
  const build = await openDatabaseLogWithCipher(
    options(dir, { sync: { mode: 'interval', intervalMs: 50 } }),
    aeadRecordCipher,
  );
  const payload = Buffer.alloc(64, 3);
  const buildStart = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: 512 }, async () => {
      while (issued < RECOVERY_OPERATIONS) {
        issued += 1;
        await build.append(payload);
      }
    }),
  );
  const buildSeconds = (performance.now() - buildStart) / 1000;
  await build.close();

  const replay = await timeRecovery(dir);
  const tail = 10_000;
  const snapshotLog = await openDatabaseLogWithCipher(options(dir), aeadRecordCipher);
  const snapshotSequence = snapshotLog.lastSequence - tail;
  const state = Readable.from(
    (function* () {
      const chunk = Buffer.alloc(64 * 1024, 5);
      for (let written = 0; written < snapshotSequence * 64; written += chunk.length) yield chunk;
    })(),
  );
  const snapshotStart = performance.now();
  await snapshotLog.writeSnapshot(snapshotSequence, state);
  const snapshotSeconds = (performance.now() - snapshotStart) / 1000;
  await snapshotLog.close();
  const withSnapshot = await timeRecovery(dir);
  await rm(dir, { recursive: true, force: true });
  return {
    operations: RECOVERY_OPERATIONS,
    buildSeconds: round(buildSeconds),
    walOnlyReplaySeconds: round(replay.seconds),
    snapshotBytes: snapshotSequence * 64,
    snapshotWriteSeconds: round(snapshotSeconds),
    snapshotPlusTailSeconds: round(withSnapshot.seconds),
    tailOperations: withSnapshot.operations,
  };
}

async function timeRecovery(dir: string): Promise<{ seconds: number; operations: number }> {
  const start = performance.now();
  const log = await openDatabaseLogWithCipher(options(dir), aeadRecordCipher);
  const { snapshot, operations } = await log.recover();
  if (snapshot !== undefined) for await (const _chunk of snapshot.open());
  let count = 0;
  for await (const _operation of operations) count += 1;
  const seconds = (performance.now() - start) / 1000;
  await log.close();
  return { seconds, operations: count };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// The machine is shared and noisy: alternate encrypted and unencrypted runs and keep each
// one's median and best, so both paths see the same background load.
const REPEATS = Number(process.env.BENCH_REPEATS ?? '3');
// BENCH_CONCURRENCY=256 BENCH_APPENDS_ONLY=1 measures just the group-commit case (for profiling).
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '1,16,256').split(',').map(Number);
const APPENDS_ONLY = process.env.BENCH_APPENDS_ONLY === '1';
const appends: Record<string, Record<string, number>> = {};
for (const concurrency of CONCURRENCIES) {
  const encrypted: number[] = [];
  const unencrypted: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    encrypted.push(await appendsPerSecond(aeadRecordCipher, concurrency));
    unencrypted.push(await appendsPerSecond(plaintextCipherForBenchmarkOnly, concurrency));
  }
  const encryptedMedian = median(encrypted);
  const unencryptedMedian = median(unencrypted);
  appends[`concurrency${concurrency}`] = {
    encryptedOpsPerSecondMedian: encryptedMedian,
    encryptedOpsPerSecondBest: Math.max(...encrypted),
    unencryptedOpsPerSecondMedian: unencryptedMedian,
    unencryptedOpsPerSecondBest: Math.max(...unencrypted),
    encryptionCostPercentMedian: round((1 - encryptedMedian / unencryptedMedian) * 100),
    encryptionCostPercentBest: round((1 - Math.max(...encrypted) / Math.max(...unencrypted)) * 100),
  };
}
const raw = APPENDS_ONLY
  ? undefined
  : {
      oneFdatasyncPerOperation: await rawAppendsPerSecond(1),
      fdatasyncPer16Operations: await rawAppendsPerSecond(16),
      fdatasyncPer256Operations: await rawAppendsPerSecond(256),
    };
const result = {
  benchmark: '@cairn/storage operation log',
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, dir: tmpdir() },
  payloadBytes: PAYLOAD_BYTES,
  secondsPerRun: SECONDS,
  repeats: REPEATS,
  sync: 'always',
  appends,
  rawFsBaseline: raw,
  recovery: APPENDS_ONLY ? undefined : await recovery(),
};
await rm(root, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
