import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseJsonDocuments } from '../../tooling/bench/json-documents.js';
import { listBenchPackages } from '../../tooling/bench/packages.js';
import { REPOSITORY_ROOT } from './docs-markdown.js';

// The root `pnpm bench` runner (tooling/bench): the README's figures table is read from its one
// JSON document, so its reading of each package's output is tested here.

const RUNNER = fileURLToPath(new URL('../../tooling/bench/run.js', import.meta.url));

describe('reading the JSON a bench script prints', () => {
  test('one pretty-printed document', () => {
    const text = `${JSON.stringify({ a: [1, { b: 'x' }] }, null, 2)}\n`;
    expect(parseJsonDocuments(text)).toEqual({
      documents: [{ a: [1, { b: 'x' }] }],
      otherLines: [],
    });
  });

  test('two documents from a chained script, with pnpm headers and blank lines between', () => {
    const text = [
      JSON.stringify({ first: true }, null, 2),
      '',
      '> @cairn/storage@0.1.0 bench:sql /work/main/packages/storage',
      '> tsx bench/sql-bench.ts',
      '',
      JSON.stringify([{ second: 2 }]),
      '',
    ].join('\n');
    expect(parseJsonDocuments(text)).toEqual({
      documents: [{ first: true }, [{ second: 2 }]],
      otherLines: [],
    });
  });

  test('brackets and escaped quotes inside strings do not end a document', () => {
    const value = { text: 'a } ] { [ "quoted" \\ end', nested: { list: ['}', ']'] } };
    expect(parseJsonDocuments(`${JSON.stringify(value)}\n`).documents).toEqual([value]);
  });

  test('other output is kept, not hidden; a document that never closes is not a document', () => {
    const text = 'warming up\n{"ok": 1}\n{"broken": [1, 2\n';
    expect(parseJsonDocuments(text)).toEqual({
      documents: [{ ok: 1 }],
      otherLines: ['warming up', '{"broken": [1, 2'],
    });
  });
});

describe('the packages pnpm bench runs', () => {
  test('every workspace package with a bench script, from pnpm-workspace.yaml', async () => {
    const found = await listBenchPackages(REPOSITORY_ROOT);
    const names = found.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['@cairn/crypto', '@cairn/logic', '@cairn/storage', '@cairn/server']),
    );
    for (const benchPackage of found) expect(benchPackage.script).not.toBe('');
    // Workspace packages without a bench script are left out.
    expect(names).not.toContain('@cairn/vitest-config');
    expect(names).not.toContain('@cairn/tsconfig');
  });

  test('a real run prints one document with the machine, the date and each report', async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        process.execPath,
        [RUNNER, '--only', '@cairn/crypto'],
        { cwd: REPOSITORY_ROOT, env: { ...process.env, BENCH_SECONDS: '0.05' }, timeout: 90_000 },
        (error, out, err) =>
          resolve({
            code: error === null ? 0 : Number(error.code ?? -1),
            stdout: out,
            stderr: err,
          }),
      );
    });
    expect(code, stderr).toBe(0);
    const document = JSON.parse(stdout) as {
      machine: { cores: number; node: string };
      date: string;
      packages: Record<string, { exitCode: number; reports: Array<{ benchmark?: string }> }>;
    };
    expect(document.machine.cores).toBeGreaterThan(0);
    expect(document.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(document.date))).toBe(false);
    expect(Object.keys(document.packages)).toEqual(['@cairn/crypto']);
    expect(document.packages['@cairn/crypto']?.exitCode).toBe(0);
    expect(document.packages['@cairn/crypto']?.reports[0]?.benchmark).toBe('@cairn/crypto');
  });

  test('an unknown package is refused with the list of packages that have a bench', async () => {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [RUNNER, '--only', '@cairn/nothing'],
        { cwd: REPOSITORY_ROOT },
        (error, _out, err) =>
          resolve({ code: error === null ? 0 : Number(error.code ?? -1), stderr: err }),
      );
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /no bench script in @cairn\/nothing \(packages with one: .*@cairn\/crypto/,
    );
  });
});
