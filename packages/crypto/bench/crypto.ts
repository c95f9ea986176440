/*
 * Throughput of @cairn/crypto against raw node:crypto AES-256-GCM measured in the same run.
 * Prints one JSON document to stdout. `pnpm bench` (optionally BENCH_SECONDS=<per case>).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createDecryptStream,
  createEncryptStream,
  decryptFromBuffer,
  encryptToBuffer,
  generateMasterKey,
  hashPassword,
  open,
  seal,
} from '../src/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? '1');
const key = generateMasterKey();
const rawKey = Buffer.from(key.bytes);
const ad = Buffer.from('db:bench/segment:1/seq:1');

interface Rate {
  opsPerSecond: number;
  megabytesPerSecond: number;
}

/*
 * The machine is shared and noisy, so ours and the baseline run in alternating short rounds
 * (A B A B …) and each side reports its median round: load spikes hit both sides alike.
 */
const ROUNDS = 7;

async function timeRound(action: () => unknown, milliseconds: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  while (calls < 2 || performance.now() - start < milliseconds) {
    await action();
    calls += 1;
  }
  return calls / ((performance.now() - start) / 1000);
}

async function compare(bytes: number, ours: () => unknown, baseline: () => unknown) {
  await ours();
  await baseline();
  const oursRates: number[] = [];
  const baselineRates: number[] = [];
  const perRound = (SECONDS * 1000) / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(await timeRound(ours, perRound));
    baselineRates.push(await timeRound(baseline, perRound));
  }
  const oursMedian = median(oursRates);
  const baselineMedian = median(baselineRates);
  return {
    ours: rate(oursMedian, bytes),
    baseline: rate(baselineMedian, bytes),
    ratio: round(oursMedian / baselineMedian),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function rate(opsPerSecond: number, bytes: number): Rate {
  return {
    opsPerSecond: round(opsPerSecond),
    megabytesPerSecond: round((opsPerSecond * bytes) / 1_048_576),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

function rawSeal(plaintext: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', rawKey, nonce);
  cipher.setAAD(ad);
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function rawOpen(sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', rawKey, sealed.subarray(0, 12));
  decipher.setAAD(ad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([
    decipher.update(sealed.subarray(12, sealed.length - 16)),
    decipher.final(),
  ]);
}

/** Raw GCM over `data` in independent 64 KiB pieces: the same work shape as the stream. */
function rawChunked(data: Buffer, chunkSize: number, decrypt: Buffer[] | undefined): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; offset += chunkSize, i++) {
    const piece = data.subarray(offset, offset + chunkSize);
    out.push(decrypt === undefined ? rawSeal(piece) : rawOpen(decrypt[i] as Buffer));
  }
  return out;
}

async function sealOpenCase(size: number) {
  const plaintext = randomBytes(size);
  const sealed = Buffer.from(seal(key, plaintext, ad));
  const rawSealed = rawSeal(plaintext);
  return {
    seal: await compare(
      size,
      () => seal(key, plaintext, ad),
      () => rawSeal(plaintext),
    ),
    open: await compare(
      size,
      () => open(key, sealed, ad),
      () => rawOpen(rawSealed),
    ),
  };
}

async function streamCase(size: number, chunkSize: number) {
  const data = randomBytes(size);
  const encrypted = encryptToBuffer(key, data, { chunkSize });
  const rawPieces = rawChunked(data, chunkSize, undefined);
  const pieces = (buffer: Uint8Array) => {
    const out: Buffer[] = [];
    for (let offset = 0; offset < buffer.length; offset += 65_536) {
      out.push(Buffer.from(buffer.subarray(offset, offset + 65_536)));
    }
    return out;
  };
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  const rawEncrypt = () => rawChunked(data, chunkSize, undefined);
  const rawDecrypt = () => rawChunked(data, chunkSize, rawPieces);
  return {
    bytes: size,
    chunkSize,
    encryptToBuffer: await compare(
      size,
      () => encryptToBuffer(key, data, { chunkSize }),
      rawEncrypt,
    ),
    decryptFromBuffer: await compare(size, () => decryptFromBuffer(key, encrypted), rawDecrypt),
    encryptStream: await compare(
      size,
      () => pipeline(Readable.from(pieces(data)), createEncryptStream(key, { chunkSize }), sink()),
      rawEncrypt,
    ),
    decryptStream: await compare(
      size,
      () => pipeline(Readable.from(pieces(encrypted)), createDecryptStream(key), sink()),
      rawDecrypt,
    ),
  };
}

async function passwordCase(runs: number) {
  const times: number[] = [];
  await hashPassword('warm-up password');
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await hashPassword(`bench password ${i}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    parameters: 'argon2id m=19456 t=2 p=1',
    runs,
    medianMs: round(times[Math.floor(times.length / 2)] ?? 0),
    minMs: round(times[0] ?? 0),
    maxMs: round(times[times.length - 1] ?? 0),
  };
}

const cpu = cpus();
const report = {
  benchmark: '@cairn/crypto',
  date: new Date().toISOString(),
  machine: {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: round(totalmem() / 2 ** 30),
    loadAverage1m: round(loadavg()[0] ?? 0),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
  secondsPerCase: SECONDS,
  note: 'ratio = ours / baseline ops per second (medians of alternating rounds); baseline = raw node:crypto AES-256-GCM createCipheriv with a random nonce on the same sizes',
  sealOpen100B: await sealOpenCase(100),
  sealOpen64KiB: await sealOpenCase(65_536),
  stream16MiB: await streamCase(16 * 1_048_576, 65_536),
  passwordHash: await passwordCase(7),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
