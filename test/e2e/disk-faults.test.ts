import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphql, type RequestTarget, sendRequest } from '../support/http-request.js';
import { runCairn, type ServerProcess, startServer } from '../support/server-process.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { canMountTmpfs, type MountedTmpfs, mountTmpfs } from '../support/tmpfs.js';

/*
 * A real full disk: DATA_DIR on a small tmpfs, filled to the last byte by a file that is then
 * deleted. The embedded SQL store (PGlite, ~40 MB fresh) lives in DATA_DIR too, hence 64 MiB.
 */
const TMPFS_BYTES = 64 * 1024 * 1024;
const ENCRYPTION_KEY = formatKey(generateMasterKey());
const API_KEY = `disk-faults-${randomBytes(12).toString('hex')}`;
const auth = { 'x-api-key': API_KEY };
const NO_SPACE =
  /^database "default": no space left on the disk holding DATA_DIR; the write was not stored\. Free disk space and retry$/;
// Long enough that a few tells exhaust the slack of the segment's last page.
const PADDING = 'x'.repeat(400);

const canMount = canMountTmpfs();
if (!canMount) {
  console.warn(
    '\n*** DISK FAULTS SKIPPED: mounting a tmpfs needs root (with CAP_SYS_ADMIN) or passwordless sudo ***\n',
  );
}

/** Writes zeros until the file system refuses more. */
async function fillDisk(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(65_536);
  try {
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  // Sub-block remainders: fill them too, so the disk is full to the byte.
  const tail = await open(`${path}-tail`, 'w');
  try {
    for (;;) await tail.write(Buffer.alloc(512));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await tail.close();
  }
}

describe.skipIf(!canMount)('a full disk under DATA_DIR', () => {
  let temp: TempDir;
  let disk: MountedTmpfs | undefined;
  let server: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    temp = await createTempDir('cairn-e2e-disk-');
    await mkdir(temp.file('mnt'));
    disk = await mountTmpfs(temp.file('mnt'), TMPFS_BYTES);
    dataDir = join(disk.path, 'data');
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await disk?.unmount();
    await temp?.remove();
  });

  const env = () => ({
    DATA_DIR: dataDir,
    ENCRYPTION_KEY,
    API_KEY,
    // Snapshots are attempted while the disk is full too: they must fail without keeping space.
    SNAPSHOT_EVERY_OPERATIONS: '25',
  });

  async function tell(target: RequestTarget, fact: string) {
    return postGraphql(
      target,
      'mutation ($f: String!) { tell(fact: $f) { text } }',
      { f: fact },
      auth,
    );
  }

  async function storedFacts(target: RequestTarget): Promise<string[]> {
    const answer = await postGraphql(
      target,
      '{ ask(query: "disk(?n, ?pad)", limit: 10000) { solutions } }',
      {},
      auth,
    );
    const solutions = (answer.body.data?.ask as { solutions: Array<{ n: string }> } | undefined)
      ?.solutions;
    if (solutions === undefined) throw new Error(`ask failed: ${JSON.stringify(answer.body)}`);
    return solutions.map((s) => s.n);
  }

  it('refuses writes with a clear error, keeps serving reads and accepts writes again once space returns, without a restart', async () => {
    server = await startServer(env());
    const target = { baseUrl: server.url };
    const pid = server.child.pid;
    const acknowledged: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await tell(target, `disk(before${i}, "${PADDING}")`);
      expect(answer.body.errors).toBeUndefined();
      acknowledged.push(`before${i}`);
    }

    const filler = join(disk?.path ?? '', 'filler');
    await fillDisk(filler);
    // Sequential and concurrent writers until the disk has refused plenty of them.
    for (let round = 0; round < 40 && refused.length < 20; round++) {
      const names = Array.from({ length: 4 }, (_, w) => `full${round}w${w}`);
      const answers = await Promise.all(names.map((n) => tell(target, `disk(${n}, "${PADDING}")`)));
      answers.forEach((answer, w) => {
        const name = names[w] as string;
        if (answer.body.errors === undefined) {
          acknowledged.push(name);
          return;
        }
        // An execution error: HTTP 200 (GraphQL over HTTP), the code says what to do.
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(NO_SPACE),
            extensions: { code: 'UNAVAILABLE' },
          }),
        ]);
        refused.push(name);
      });
    }
    expect(refused.length).toBeGreaterThanOrEqual(20);

    // Still alive and serving reads while full: liveness, readiness, every acknowledged fact.
    expect((await sendRequest(target, { path: '/health' })).status).toBe(200);
    expect((await sendRequest(target, { path: '/health/ready' })).status).toBe(200);
    expect((await storedFacts(target)).sort()).toEqual([...acknowledged].sort());
    // Failed snapshots left no temp file behind to hold space.
    const databases = join(dataDir, 'databases');
    for (const id of await readdir(databases)) {
      expect((await readdir(join(databases, id))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }

    await rm(filler);
    await rm(`${filler}-tail`);
    for (let i = 0; i < 60; i++) {
      const answer = await tell(target, `disk(after${i}, "${PADDING}")`);
      expect(answer.body.errors).toBeUndefined();
      acknowledged.push(`after${i}`);
    }
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    const live = await storedFacts(target);
    expect(live.sort()).toEqual([...acknowledged].sort());
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.logs.some((line) => String(line.msg).startsWith('stopped'))).toBe(true);

    const verified = await runCairn(['verify'], { DATA_DIR: dataDir, ENCRYPTION_KEY });
    expect(verified.stdout).not.toMatch(/FAIL|error/);
    expect(verified.code).toBe(0);

    server = await startServer(env());
    const again = await storedFacts({ baseUrl: server.url });
    // Every acknowledged fact, once; no refused one came back from the log.
    expect(again.length).toBe(new Set(again).size);
    expect(again.sort()).toEqual([...acknowledged].sort());
    expect(again.filter((name) => refused.includes(name))).toEqual([]);
    expect(await server.stop('SIGTERM')).toBe(0);
  }, 150_000);
});
