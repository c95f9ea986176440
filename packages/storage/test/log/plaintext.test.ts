import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabaseLog } from '../../src/index.js';
import { makeMasterKeys, makeTempDir, openLog, removeDir } from './helpers.js';

const MARKER = 'zebra-quartz-7c1f-unique-marker';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('nothing is stored in plaintext', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('plain');
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('keeps a marker out of every file, in utf-8, utf-16 and base64 forms', async () => {
    const dir = join(root, 'data', 'db');
    const { log } = await openLog(dir, makeMasterKeys(), { segmentBytes: 4096 });
    for (let i = 0; i < 60; i += 1) await log.append(Buffer.from(`fact(${i}, "${MARKER}")`));
    await log.writeSnapshot(40, [Buffer.from(`state with ${MARKER} `.repeat(500))]);
    for (let i = 60; i < 80; i += 1) await log.append(Buffer.from(`fact(${i}, "${MARKER}")`));
    await log.close();
    await backupDatabaseLog(dir, join(root, 'data', 'backup'));

    const forms = [
      Buffer.from(MARKER, 'utf8'),
      Buffer.from(MARKER, 'utf16le'),
      Buffer.from(Buffer.from(MARKER, 'utf16le').swap16()),
      // base64 of the marker at each of the three alignments, minus the edge characters
      ...[0, 1, 2].map((shift) => {
        const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(MARKER)]).toString(
          'base64',
        );
        return Buffer.from(encoded.slice(4, -4));
      }),
    ];
    const files = await filesUnder(join(root, 'data'));
    expect(files.some((f) => f.endsWith('.wal'))).toBe(true);
    expect(files.some((f) => f.endsWith('.snap'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const form of forms)
        expect(bytes.indexOf(form), `${file} contains ${form.toString()}`).toBe(-1);
    }
    // The check itself can fail: the marker is found when it is there.
    expect(Buffer.from(`x${MARKER}y`).indexOf(forms[0] as Buffer)).toBe(1);
  });
});
