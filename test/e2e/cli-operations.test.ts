import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn, startServer } from '../support/server-process.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

let temp: TempDir;
const oldKey = formatKey(generateMasterKey(), 'base64');
const newKey = formatKey(generateMasterKey(), 'base64');

beforeAll(async () => {
  temp = await createTempDir();
  // Real state made by the real server: a few facts in the default database.
  const server = await startServer({ DATA_DIR: temp.file('data'), ENCRYPTION_KEY: oldKey });
  try {
    for (const fact of ['plan(acme, enterprise)', 'plan(globex, free)', 'owner(acme, alice)']) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($f: String!) { tell(fact: $f) { text } }',
          variables: { f: fact },
        }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    }
  } finally {
    expect(await server.stop()).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await temp?.remove();
});

const data = () => ({ DATA_DIR: temp.file('data'), ENCRYPTION_KEY: oldKey });

describe('cairn operations commands (built CLI)', () => {
  it('every command has --help', async () => {
    for (const command of [
      ['certs', 'dev'],
      ['verify'],
      ['backup'],
      ['restore'],
      ['rotate-master-key'],
      ['migrate'],
    ]) {
      const result = await runCairn([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: cairn ${command.join(' ')}`));
    }
  });

  it('bad usage and bad configuration exit 2 with one line', async () => {
    const unknown = await runCairn(['verify', '--frobnicate']);
    expect(unknown.code).toBe(2);
    const missing = await runCairn(['verify'], {
      DATA_DIR: temp.file('absent'),
      ENCRYPTION_KEY: oldKey,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^cairn: DATA_DIR=.*absent is not a directory/);
    const badKey = await runCairn(['verify'], {
      DATA_DIR: temp.file('data'),
      ENCRYPTION_KEY: 'short',
    });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^cairn: ENCRYPTION_KEY/);
    expect((await runCairn(['backup'], data())).code).toBe(2);
  });

  it('certs dev writes 0600 files and prints the env lines', async () => {
    const result = await runCairn(['certs', 'dev', '--out', temp.file('certs')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^TLS_ENABLED=true\nTLS_KEYSTORE_PATH=.*cairn-dev\.p12\nTLS_KEYSTORE_PASSWORD=\S{20,}\n/,
    );
    for (const name of await readdir(temp.file('certs'))) {
      expect((await stat(join(temp.file('certs'), name))).mode & 0o777).toBe(0o600);
    }
    expect((await runCairn(['certs', 'dev', '--out', temp.file('certs')])).code).toBe(2);
  });

  it('verify, backup, damage, verify fails, restore --force, verify passes', async () => {
    const ok = await runCairn(['verify'], data());
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {3}\S+: 1 segment\(s\), \d+ operation\(s\) in \d+ record\(s\)/m);
    expect(ok.stderr).toBe(''); // not a TTY: no progress output

    const backup = await runCairn(['backup', temp.file('backup')], data());
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up 1 database\(s\)/);

    const databases = temp.file('data/databases');
    const [id] = await readdir(databases);
    const dir = join(databases, id as string);
    const segment = (await readdir(dir)).find((name) => name.endsWith('.wal')) as string;
    const bytes = await readFile(join(dir, segment));
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    await writeFile(join(dir, segment), bytes);
    const damaged = await runCairn(['verify'], data());
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(new RegExp(`FAIL ${id}[\\s\\S]*${segment}`));

    expect((await runCairn(['restore', temp.file('backup')], data())).code).toBe(2);
    const restored = await runCairn(['restore', temp.file('backup'), '--force'], data());
    expect(restored.code).toBe(0);
    expect((await runCairn(['verify'], data())).code).toBe(0);
  });

  it('rotate-master-key re-wraps under the new key and prints what to set', async () => {
    await writeFile(temp.file('new.key'), `${newKey}\n`, { mode: 0o600 });
    const rotated = await runCairn(
      ['rotate-master-key', '--new-key-file', temp.file('new.key')],
      data(),
    );
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`ENCRYPTION_KEY_FILE=${temp.file('new.key')}`);
    expect(rotated.stdout).toContain(`ENCRYPTION_KEY_PREVIOUS=${oldKey}`);
    expect((await runCairn(['verify'], data())).code).toBe(1);
    const withNew = await runCairn(['verify'], {
      DATA_DIR: temp.file('data'),
      ENCRYPTION_KEY: newKey,
    });
    expect(withNew.code).toBe(0);
    // The server starts with the rotated key alone and still answers from the old data.
    const server = await startServer({ DATA_DIR: temp.file('data'), ENCRYPTION_KEY: newKey });
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ ask(query: "plan(?c, ?p)") { count } }' }),
      });
      expect(await response.json()).toEqual({ data: { ask: { count: 2 } } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('migrate brings a fresh embedded store to the schema', async () => {
    const result = await runCairn(['migrate'], { DATA_DIR: temp.file('fresh') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/is at the current schema/);
  });
});
