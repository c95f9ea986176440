import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { createKeyRing, formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabaseLog } from '../../src/index.js';
import { isWholeCrashPayload } from './crash-payload.js';
import { makeTempDir, removeDir } from './helpers.js';

const ROUNDS = 24;
// Bounded in time: each child start costs ~1-2 s of TypeScript loading on a busy 2-core machine.
const TIME_BUDGET_MS = 45_000;
const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = createRequire(join(here, '../../package.json')).resolve('tsx');

interface RoundOutput {
  readonly acks: Map<number, string>;
  readonly stderr: string;
}

function runChildUntilKilled(
  dir: string,
  masterKey: string,
  killAfterMs: number,
): Promise<RoundOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@cairn/source',
        '--import',
        tsx,
        join(here, 'crash-child.ts'),
        dir,
        masterKey,
        '32',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (timer === undefined && stdout.includes('ready ')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (timer === undefined || signal !== 'SIGKILL') {
        reject(new Error(`child ended without being killed (signal ${signal}): ${stderr}`));
        return;
      }
      const acks = new Map<number, string>();
      for (const line of stdout.split('\n')) {
        const [kind, sequence, payload] = line.split(' ');
        if (kind === 'ack' && sequence !== undefined && payload !== undefined)
          acks.set(Number(sequence), payload);
      }
      resolve({ acks, stderr });
    });
  });
}

describe('crash safety with real processes and SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('crash');
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('never loses an acknowledged append and never half-applies one', {
    timeout: 90_000,
  }, async () => {
    const master = generateMasterKey();
    const masterKeys = createKeyRing(master);
    const acknowledged = new Map<number, string>();
    const started = Date.now();
    let rounds = 0;
    let lastSeen = 0;
    const warnings: string[] = [];
    while (rounds < ROUNDS && Date.now() - started < TIME_BUDGET_MS) {
      rounds += 1;
      const { acks } = await runChildUntilKilled(
        dir,
        formatKey(master, 'hex'),
        50 + Math.floor(Math.random() * 400),
      );
      for (const [sequence, payload] of acks) acknowledged.set(sequence, payload);

      const log = await openDatabaseLog({
        dir,
        databaseId: 'crash-db',
        masterKeys,
        segmentBytes: 16 * 1024,
        onWarning: (w) => warnings.push(w.code),
      });
      const recovered = new Map<number, string>();
      const recovery = await log.recover();
      if (recovery.snapshot !== undefined) {
        for (const line of (await text(recovery.snapshot.open())).split('\n')) {
          const [sequence, payload] = line.split(' ');
          if (sequence !== undefined && payload !== undefined)
            recovered.set(Number(sequence), payload);
        }
      }
      for await (const operation of recovery.operations) {
        recovered.set(operation.sequence, Buffer.from(operation.payload).toString('base64'));
      }
      const last = log.lastSequence;
      await log.close();

      expect(recovered.size, `round ${rounds}`).toBe(last);
      for (let sequence = 1; sequence <= last; sequence += 1) {
        const payload = recovered.get(sequence);
        expect(payload, `sequence ${sequence} in round ${rounds}`).toBeDefined();
        expect(
          isWholeCrashPayload(Buffer.from(payload ?? '', 'base64')),
          `sequence ${sequence}`,
        ).toBe(true);
      }
      for (const [sequence, payload] of acknowledged) {
        expect(recovered.get(sequence), `acknowledged ${sequence} in round ${rounds}`).toBe(
          payload,
        );
      }
      expect(last).toBeGreaterThanOrEqual(lastSeen);
      lastSeen = last;
    }
    console.info(
      JSON.stringify({
        rounds,
        acknowledged: acknowledged.size,
        lastSequence: lastSeen,
        tailsCut: warnings.filter((w) => w === 'LOG_TAIL_TRUNCATED').length,
      }),
    );
    expect(rounds).toBeGreaterThanOrEqual(8);
    expect(acknowledged.size).toBeGreaterThan(rounds * 10);
  });
});
