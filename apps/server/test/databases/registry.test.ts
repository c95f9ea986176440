import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseQuery } from '@cairn/logic';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DatabaseRegistry, openDatabaseRegistry } from '../../src/databases/registry.js';
import { forgetRule, teach, tell, tellMany } from '../../src/knowledge/operations.js';
import { openTestStore, type TestStore } from '../support/test-server.js';

let store: TestStore;
const actor = { id: 'tester', tenant: undefined };

beforeAll(async () => {
  store = await openTestStore({ snapshotEveryOperations: 25 });
});
afterAll(async () => store?.close());

async function reopen(): Promise<DatabaseRegistry> {
  return openDatabaseRegistry({
    dataDir: store.dir,
    sql: store.sql,
    masterKeys: store.masterKeys,
    snapshotEveryOperations: 25,
    events: { onWarning: () => {}, onSnapshotError: () => {}, onNotice: () => {} },
  });
}

const count = (registry: DatabaseRegistry, database: string, query: string) =>
  registry.get(database).knowledge.ask(parseQuery(query)).count;

describe('databases', () => {
  test('concurrent writes are all durable, snapshotted and rebuilt on reopen', async () => {
    let registry = store.registry;
    await registry.create('library');
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        tell(registry, actor, { database: 'library' }, `book(b${i})`),
      ),
    );
    await teach(registry, actor, { database: 'library' }, 'shelved(?b) :- book(?b)');
    expect(count(registry, 'library', 'shelved(?b)')).toBe(120);
    const dir = registry.get('library').dir;
    await registry.close();
    expect((await readdir(dir)).some((name) => name.startsWith('snapshot-'))).toBe(true);
    // Nothing a user stored is readable under the data directory.
    for (const name of await readdir(dir)) {
      expect((await readFile(join(dir, name))).includes('b117')).toBe(false);
    }
    registry = await reopen();
    store = { ...store, registry };
    expect(count(registry, 'library', 'shelved(?b)')).toBe(120);
    expect(registry.get('library').knowledge.rules()[0]?.by).toBe('tester');
  });

  test('concurrent rule changes are validated one at a time, so replay never fails', async () => {
    const { registry } = store;
    const rule = await teach(registry, actor, { database: 'library' }, 'old(?b) :- book(?b)');
    const results = await Promise.allSettled([
      forgetRule(registry, actor, { database: 'library' }, rule.id),
      forgetRule(registry, actor, { database: 'library' }, rule.id),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await registry.close();
    const reopened = await reopen();
    store = { ...store, registry: reopened };
    expect(
      reopened
        .get('library')
        .knowledge.rules()
        .some((r) => r.id === rule.id),
    ).toBe(false);
  });

  test('a refused batch writes nothing', async () => {
    const { registry } = store;
    const before = registry.get('library').lastSequence;
    await expect(
      tellMany(registry, actor, { database: 'library' }, ['ok(a)', 'bad(?x)']),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'facts[1]',
    });
    expect(registry.get('library').lastSequence).toBe(before);
  });

  test('deleting destroys the key and the files; the name is free again', async () => {
    const { registry } = store;
    const doomed = await registry.create('doomed');
    await tell(registry, actor, { database: 'doomed' }, 'x(1)');
    const { dir, id } = doomed;
    await registry.delete('doomed');
    expect(existsSync(dir)).toBe(false);
    expect((await store.sql.databases.findById(id))?.deletedAt).toBeInstanceOf(Date);
    await expect(tell(registry, actor, { database: 'doomed' }, 'x(2)')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const again = await registry.create('doomed');
    expect(again.id).not.toBe(id);
    expect(again.knowledge.ask(parseQuery('x(?n)')).count).toBe(0);
  });

  test('the SQL row mirrors the log key file', async () => {
    const row = await store.sql.databases.findByName('library');
    const keys = JSON.parse(
      await readFile(join(store.registry.get('library').dir, 'keys.json'), 'utf8'),
    ) as {
      current: string;
      keys: Array<{ id: string; wrapped: string }>;
    };
    expect(row?.wrappedDataKey).toBe(keys.keys.find((k) => k.id === keys.current)?.wrapped);
  });
});
