import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTempDataDir, runCairn, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
const ENCRYPTION_KEY = formatKey(generateMasterKey());
const API_KEY = 'e2e-shared-key-0123456789abcdef';

beforeAll(async () => {
  data = await createTempDataDir();
});
afterAll(async () => data?.remove());

test('tell, ask, retract and teach over real HTTP; a restart finds everything', async () => {
  const env = { DATA_DIR: data.dir, ENCRYPTION_KEY, API_KEY };
  const auth = { 'x-api-key': API_KEY };
  const first = await startServer(env);
  try {
    expect((await first.graphql('{ health { status } }')).status).toBe(401);
    const told = await first.graphql(
      'mutation { tellMany(tenant: "acme", facts: ["parent(alice, bob)", "parent(bob, carol)", "plan(acme, enterprise) [confidence=0.9]"]) { count } }',
      {},
      auth,
    );
    expect(told.body).toEqual({ data: { tellMany: { count: 3 } } });
    const taught = await first.graphql(
      'mutation { teach(rule: "anc(?x, ?z) :- parent(?x, ?y), anc(?y, ?z)") { id } b: teach(rule: "anc(?x, ?y) :- parent(?x, ?y)") { id } }',
      {},
      auth,
    );
    expect(taught.body.errors).toBeUndefined();
    await first.graphql(
      'mutation { tell(tenant: "acme", fact: "parent(carol, dave)") { text } }',
      {},
      auth,
    );
    const retracted = await first.graphql(
      'mutation { retract(tenant: "acme", pattern: "plan(acme, ?t)") { retracted } }',
      {},
      auth,
    );
    expect(retracted.body).toEqual({ data: { retract: { retracted: 1 } } });
    await first.graphql('mutation { createDatabase(name: "second") { id } }', {}, auth);
    await first.graphql(
      'mutation { tell(database: "second", fact: "kept(yes)") { text } }',
      {},
      auth,
    );
    const asked = await first.graphql(
      '{ ask(tenant: "acme", query: "anc(alice, ?who)") { solutions count } }',
      {},
      auth,
    );
    expect(asked.body.data?.ask).toEqual({
      count: 3,
      solutions: expect.arrayContaining([{ who: 'bob' }, { who: 'carol' }, { who: 'dave' }]),
    });
  } finally {
    expect(await first.stop('SIGTERM')).toBe(0);
  }
  expect(first.logs.some((line) => line.msg?.toString().startsWith('stopped'))).toBe(true);
  // Graceful shutdown wrote snapshots.
  const dirs = await readdir(join(data.dir, 'databases'));
  const files = (
    await Promise.all(dirs.map((d) => readdir(join(data.dir, 'databases', d))))
  ).flat();
  expect(files.some((name) => name.startsWith('snapshot-'))).toBe(true);

  const second = await startServer(env);
  try {
    const asked = await second.graphql(
      '{ ask(tenant: "acme", query: "anc(alice, ?who)") { count } plan: ask(tenant: "acme", query: "plan(acme, ?t)") { count } rules { text } }',
      {},
      auth,
    );
    expect(asked.body.data?.ask).toEqual({ count: 3 });
    expect(asked.body.data?.plan).toEqual({ count: 0 });
    expect(asked.body.data?.rules).toHaveLength(2);
    const other = await second.graphql(
      '{ ask(database: "second", query: "kept(?x)") { solutions } databases { name } }',
      {},
      auth,
    );
    expect(other.body.data).toEqual({
      ask: { solutions: [{ x: 'yes' }] },
      databases: [{ name: 'default' }, { name: 'second' }],
    });
  } finally {
    expect(await second.stop('SIGTERM')).toBe(0);
  }

  // The same data with another master key is refused at start with one line, exit 2.
  const wrong = await runCairn(['serve'], {
    DATA_DIR: data.dir,
    ENCRYPTION_KEY: formatKey(generateMasterKey()),
  });
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/ENCRYPTION_KEY: the master key does not open the databases/);
});
