/*
 * Child process of crash.test.ts: recovers the log, then appends from many concurrent writers
 * and prints "ack <sequence> <base64 payload>" the moment each append resolves, until killed.
 * Every few hundred acknowledgements it snapshots the state (all payloads so far).
 */
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createKeyRing, parseMasterKey } from '@cairn/crypto';
import { openDatabaseLog } from '../../src/index.js';
import { crashPayload } from './crash-payload.js';

const [dir, masterKeyText, concurrencyText] = process.argv.slice(2);
if (dir === undefined || masterKeyText === undefined)
  throw new Error('usage: crash-child <dir> <master key> [concurrency]');
const concurrency = Number(concurrencyText ?? '32');

const log = await openDatabaseLog({
  dir,
  databaseId: 'crash-db',
  masterKeys: createKeyRing(parseMasterKey(masterKeyText)),
  segmentBytes: 16 * 1024,
  onWarning: (warning) => process.stderr.write(`warning ${warning.code} ${warning.message}\n`),
});
const state = new Map<number, string>();
const recovery = await log.recover();
if (recovery.snapshot !== undefined) {
  for (const line of (await text(recovery.snapshot.open())).split('\n')) {
    const [sequence, payload] = line.split(' ');
    if (sequence !== undefined && payload !== undefined) state.set(Number(sequence), payload);
  }
}
for await (const operation of recovery.operations) {
  state.set(operation.sequence, Buffer.from(operation.payload).toString('base64'));
}
process.stdout.write(`ready ${log.lastSequence}\n`);

let contiguous = log.lastSequence;
let snapshotting = false;
let counter = 0;
async function writer(id: number): Promise<void> {
  for (;;) {
    counter += 1;
    const payload = crashPayload(`${process.pid}-${id}-${counter}`);
    const sequence = await log.append(payload);
    const encoded = payload.toString('base64');
    process.stdout.write(`ack ${sequence} ${encoded}\n`);
    state.set(sequence, encoded);
    while (state.has(contiguous + 1)) contiguous += 1;
    if (!snapshotting && contiguous % 300 < concurrency && contiguous > 0) {
      snapshotting = true;
      const upTo = contiguous;
      const lines = Array.from({ length: upTo }, (_, i) => `${i + 1} ${state.get(i + 1)}\n`);
      void log
        .writeSnapshot(upTo, Readable.from([Buffer.from(lines.join(''))]))
        .then(() => process.stdout.write(`snapshot ${upTo}\n`))
        .finally(() => {
          snapshotting = false;
        });
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, (_, id) => writer(id)));
