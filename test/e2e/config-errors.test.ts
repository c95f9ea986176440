import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTempDataDir, runCairn, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
beforeAll(async () => {
  data = await createTempDataDir();
});
afterAll(async () => data?.remove());

const cases: Array<[string, Record<string, string>, RegExp]> = [
  ['a port that is no number', { PORT: 'http' }, /^cairn: PORT must be a whole number/m],
  ['an unknown log level', { LOG_LEVEL: 'loud' }, /^cairn: LOG_LEVEL must be one of/m],
  ['an unknown environment', { CAIRN_ENV: 'staging' }, /^cairn: CAIRN_ENV must be one of/m],
  ['a malformed master key', { ENCRYPTION_KEY: 'abc' }, /^cairn: ENCRYPTION_KEY: .*cairn keygen/m],
  [
    'a missing key file',
    { ENCRYPTION_KEY_FILE: '/nonexistent/key' },
    /^cairn: ENCRYPTION_KEY_FILE: cannot read \/nonexistent\/key \(ENOENT\)/m,
  ],
  [
    'a shared key beside managed mode',
    { AUTH_ENABLED: 'true', API_KEY: 'a-long-enough-shared-key' },
    /^cairn: API_KEY: a shared key cannot be combined with AUTH_ENABLED=true/m,
  ],
  [
    'no auth beyond loopback',
    { HOST: '0.0.0.0' },
    /^cairn: HOST: 0\.0\.0\.0 is not a loopback address/m,
  ],
  [
    'production without a master key',
    { CAIRN_ENV: 'production' },
    /^cairn: ENCRYPTION_KEY: no master key configured/m,
  ],
  [
    'TLS without a certificate',
    { TLS_ENABLED: 'true' },
    /^cairn: TLS_ENABLED: true but no certificate/m,
  ],
];

describe('bad configuration stops the start: one line each, exit code 2', () => {
  test.each(cases)('%s', async (_name, env, message) => {
    const run = await runCairn(['serve'], {
      DATA_DIR: data.dir,
      ...env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('every problem is listed at once', async () => {
    const run = await runCairn(['serve'], {
      DATA_DIR: data.dir,
      PORT: 'x',
      LOG_LEVEL: 'y',
      TRUST_PROXY: 'z',
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
  });

  test('production names each unsafe setting', async () => {
    const run = await runCairn(['serve'], {
      DATA_DIR: data.dir,
      CAIRN_ENV: 'production',
      HOST: '0.0.0.0',
      ALLOW_INSECURE_NO_AUTH: 'true',
      JWT_SECRET: 'short',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ENCRYPTION_KEY: no master key/);
    expect(run.stderr).toMatch(/API_KEY: authentication is disabled/);
    expect(run.stderr).toMatch(/TLS_ENABLED: TLS is off/);
    expect(run.stderr).toMatch(/JWT_SECRET: shorter than 32 bytes/);
  });

  test('--env-file is read, and a missing one is a clear error', async () => {
    const file = join(data.dir, 'bad.env');
    await writeFile(file, 'LOG_FORMAT=xml\n');
    const bad = await runCairn(['serve', '--env-file', file], { DATA_DIR: data.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LOG_FORMAT must be one of "json", "text"/);
    const missing = await runCairn(['serve', '--env-file', join(data.dir, 'none.env')], {
      DATA_DIR: data.dir,
    });
    // Node 20 itself reads `--env-file` anywhere on the command line (a Node bug fixed in 22)
    // and stops with exit code 9 before Cairn runs; Cairn's own check says exit 2. Either way
    // the start stops and names the file.
    expect([2, 9]).toContain(missing.code);
    expect(missing.stderr).toMatch(/none\.env.*(not found|ENOENT)/);
  });
});

test('a data directory that cannot be created stops the start naming DATA_DIR', async () => {
  const file = join(data.dir, 'a-file');
  await writeFile(file, '');
  const run = await runCairn(['serve'], { DATA_DIR: join(file, 'data') });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /^cairn: DATA_DIR: cannot create or write .*a-file\/data \(ENOTDIR\)/m,
  );
});

test('a port in use stops the start with exit code 2 naming PORT', async () => {
  const first = await startServer({ DATA_DIR: join(data.dir, 'one') });
  try {
    const port = new URL(first.url).port;
    const second = await runCairn(['serve'], { DATA_DIR: join(data.dir, 'two'), PORT: port });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`^cairn: PORT: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`, 'm'),
    );
  } finally {
    await first.stop();
  }
});
