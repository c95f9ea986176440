import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseFactLines } from '../../src/knowledge/import-facts.js';
import { readImportFile } from '../../src/knowledge/import-file.js';
import { DEFAULT_KNOWLEDGE_SETTINGS } from '../../src/knowledge/settings.js';
import { openTestStore, type TestStore } from '../support/test-server.js';
import {
  type AuthorizationApp,
  codeOf,
  createAuthorizationApp,
  messageOf,
  userPrincipal,
} from './support.js';

// A real directory tree: IMPORT_DIR with files, links in and out, and a secret next to it.
let base: string;
let importDir: string;
let store: TestStore;
let app: AuthorizationApp;
let disabled: AuthorizationApp;

const IMPORT = 'mutation($p: String!) { importFacts(path: $p) { database tenant count } }';

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cairn-import-'));
  importDir = join(base, 'imports');
  await mkdir(join(importDir, 'nested'), { recursive: true });
  await writeFile(join(base, 'secret.txt'), 'secret(outside, 1)\n');
  await mkdir(join(base, 'elsewhere'));
  await writeFile(join(base, 'elsewhere', 'facts.txt'), 'secret(elsewhere, 2)\n');
  await writeFile(
    join(importDir, 'good.txt'),
    '% customers\nclient(acme, gold)\n\n# more\nclient(globex, silver) [confidence=0.5]\n',
  );
  await writeFile(join(importDir, 'nested', 'more.txt'), 'client(initech, bronze)\n');
  await writeFile(join(importDir, '..dots.txt'), 'client(dots, ok)\n');
  await writeFile(join(importDir, 'broken.txt'), 'client(a, b)\nclient(c, d)\nclient(e, \n');
  await writeFile(join(importDir, 'variable.txt'), 'client(a, b)\nclient(?x, d)\n');
  await writeFile(join(importDir, 'rule.txt'), 'ok(a)\np(?x) :- ok(?x)\n');
  await writeFile(join(importDir, 'empty.txt'), '% nothing\n');
  await writeFile(join(importDir, 'big.txt'), 'client(x, y)\n'.repeat(200));
  await writeFile(join(importDir, 'latin1.txt'), Buffer.from([0x63, 0x28, 0xe9, 0x29, 0x0a]));
  await symlink(join(base, 'secret.txt'), join(importDir, 'link-out.txt'));
  await symlink(join(importDir, 'good.txt'), join(importDir, 'link-in.txt'));
  await symlink(join(base, 'elsewhere'), join(importDir, 'dir-out'));
  await symlink('/dev/zero', join(importDir, 'zero'));
  execFileSync('mkfifo', [join(importDir, 'pipe')]);

  store = await openTestStore();
  const principals = {
    writer: userPrincipal('w', [{ tenant: 'acme', role: 'writer' }]),
    reader: userPrincipal('r', [{ tenant: 'acme', role: 'reader' }]),
  };
  app = createAuthorizationApp(store, principals, {
    knowledge: { ...DEFAULT_KNOWLEDGE_SETTINGS, import: { importDir, maxBytes: 1024 } },
  });
  disabled = createAuthorizationApp(store, principals);
});
afterAll(async () => {
  await store?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

describe('importFacts', () => {
  test('imports the facts of a file, skipping blank lines and comments, into the caller tenant', async () => {
    const result = await app.as('writer', IMPORT, { p: 'good.txt' });
    expect(result.body.data?.importFacts).toEqual({
      database: 'default',
      tenant: 'acme',
      count: 2,
    });
    const asked = await app.as('writer', '{ ask(query: "client(?c, ?t)") { count } }');
    expect(asked.body.data?.ask).toEqual({ count: 2 });
  });

  test.each([
    ['nested/more.txt', 1],
    ['./nested/../nested/more.txt', 1],
    ['..dots.txt', 1],
    ['link-in.txt', 2],
  ])('%s inside IMPORT_DIR is read', async (path, count) => {
    const result = await app.as('writer', IMPORT, { p: path });
    expect(result.body.data?.importFacts).toMatchObject({ count });
  });

  test('an absolute path inside IMPORT_DIR is read', async () => {
    const result = await app.as('writer', IMPORT, { p: join(importDir, 'nested', 'more.txt') });
    expect(result.body.data?.importFacts).toMatchObject({ count: 1 });
  });

  test.each([
    ['../secret.txt'],
    ['nested/../../secret.txt'],
    ['/etc/passwd'],
    ['/etc/does-not-exist'],
    ['link-out.txt'],
    ['dir-out/facts.txt'],
    ['zero'],
  ])('%s leads outside IMPORT_DIR: FORBIDDEN, nothing read', async (path) => {
    const result = await app.as('writer', IMPORT, { p: path });
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(messageOf(result)).toMatch(/inside IMPORT_DIR/);
    // The refusal is the same whether or not the outside file exists.
    expect(messageOf(result)).not.toMatch(/secret|passwd|no file/);
  });

  test.each([
    ['missing.txt', /no file "missing.txt" in IMPORT_DIR/],
    ['nested', /not a regular file \(a directory\)/],
    ['pipe', /not a regular file \(a named pipe\)/],
    ['big.txt', /larger than the import limit of 1024 bytes/],
    ['empty.txt', /holds no facts/],
    ['latin1.txt', /not UTF-8/],
    ['', /path must be 1–4096 characters/],
    ['a\0b', /without NUL/],
  ])('%j is refused with BAD_USER_INPUT', async (path, message) => {
    const result = await app.as('writer', IMPORT, { p: path });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(messageOf(result)).toMatch(message);
  });

  test('a syntax error names the line and column in the file, and nothing is imported', async () => {
    const before = await app.as('writer', '{ predicates { name facts } }');
    const result = await app.as('writer', IMPORT, { p: 'broken.txt' });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      argument: 'path',
      line: 3,
      column: 11,
    });
    expect(messageOf(result)).toMatch(/^path: line 3, column 11: /);
    for (const [file, line] of [
      ['variable.txt', 2],
      ['rule.txt', 2],
    ] as const) {
      const failed = await app.as('writer', IMPORT, { p: file });
      expect(failed.body.errors?.[0]?.extensions, file).toMatchObject({ line });
    }
    const after = await app.as('writer', '{ predicates { name facts } }');
    expect(after.body.data).toEqual(before.body.data);
  });

  test('a reader is refused before the path is looked at', async () => {
    for (const path of ['good.txt', '../secret.txt', 'missing.txt']) {
      const result = await app.as('reader', IMPORT, { p: path });
      expect(codeOf(result)).toBe('FORBIDDEN');
      expect(messageOf(result)).toBe(
        'role reader in tenant acme cannot importFacts (needs write on database default)',
      );
    }
  });

  test('without ACCEPT_LOCAL_FILE_PATH and IMPORT_DIR it is off', async () => {
    const result = await disabled.as('writer', IMPORT, { p: 'good.txt' });
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(messageOf(result)).toMatch(/ACCEPT_LOCAL_FILE_PATH=true and IMPORT_DIR/);
  });
});

describe('readImportFile and parseFactLines', () => {
  test('a file larger than the limit is refused before it is read', async () => {
    const settings = { importDir, maxBytes: 16 };
    await expect(readImportFile(settings, 'good.txt')).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  test('CRLF lines are facts like LF lines', () => {
    expect(parseFactLines('a(1)\r\nb(2)\r\n')).toHaveLength(2);
  });
});
