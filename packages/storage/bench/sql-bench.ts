/**
 * SQL store on embedded PGlite: what the durable-write guarantee costs. Prints JSON.
 * Baseline, measured in the same run: the same kind of insert without the WAL flush
 * (an audit event), so the ratio isolates the fdatasync work.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlStore } from '../src/sql/open-sql-store.js';

async function timed<T>(run: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function perOperation(totalMs: number, count: number) {
  return { operations: count, totalMs: round(totalMs), msPerOperation: round(totalMs / count) };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

const workDirectory = await mkdtemp(join(tmpdir(), 'cairn-sql-bench-'));
try {
  const dataDir = join(workDirectory, 'data');
  const createMs = await timed(async () => (await openSqlStore({ dataDir })).close());
  const reopenStart = performance.now();
  const store = await openSqlStore({ dataDir });
  const reopenMs = performance.now() - reopenStart;

  const count = 200;
  const plainMs = await timed(async () => {
    for (let index = 0; index < count; index++) {
      await store.auditEvents.append({ action: 'bench', outcome: 'success', actor: `a${index}` });
    }
  });
  const durableMs = await timed(async () => {
    for (let index = 0; index < count; index++) {
      await store.users.create({ username: `bench-${index}`, passwordHash: 'x' });
    }
  });
  const concurrentMs = await timed(() =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        store.users.create({ username: `bench-concurrent-${index}`, passwordHash: 'x' }),
      ),
    ),
  );
  await store.close();

  const copy = join(workDirectory, 'copy');
  const copyMs = await timed(() => cp(dataDir, copy, { recursive: true }));

  const plain = perOperation(plainMs, count);
  const durable = perOperation(durableMs, count);
  const concurrent = perOperation(concurrentMs, count);
  console.log(
    JSON.stringify(
      {
        benchmark: 'sql-store-pglite',
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model ?? 'unknown',
          node: process.version,
        },
        createFreshStoreMs: round(createMs),
        reopenStoreMs: round(reopenMs),
        copyMigratedDirectoryMs: round(copyMs),
        baselinePlainInsert: plain,
        durableInsertSequential: durable,
        durableInsertConcurrent: concurrent,
        ratioDurableToPlain: round(durable.msPerOperation / plain.msPerOperation),
        ratioConcurrentToSequential: round(concurrent.msPerOperation / durable.msPerOperation),
      },
      null,
      2,
    ),
  );
} finally {
  await rm(workDirectory, { recursive: true, force: true });
}
