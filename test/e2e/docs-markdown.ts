import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Helpers of the docs-*.test.ts suites: they read the guides under docs/ and run what they show,
// so a guide whose commands or answers drift from the code fails a test.

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The address every guide writes; tests replace it with the address of the server they start. */
export const DOCUMENTED_ADDRESS = '127.0.0.1:9300';

export interface FencedBlock {
  /** First word of the info string (`sh`, `json`, `text`, `cairn`, …). */
  readonly language: string;
  /** Further words of the info string (`server` in ```` ```sh server ````). */
  readonly tags: readonly string[];
  readonly body: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  /** True when only blank lines separate this block from the previous one. */
  readonly followsPrevious: boolean;
}

export async function readGuide(name: string): Promise<string> {
  return readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
}

/** Every fenced code block of a Markdown text, in order. */
export function readFencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  let lastClosedAt = -2;
  for (let index = 0; index < lines.length; index++) {
    const open = /^(`{3,})(.*)$/.exec(lines[index] ?? '');
    if (open === null) continue;
    const fence = open[1] ?? '```';
    const [language = '', ...tags] = (open[2] ?? '').trim().split(/\s+/);
    const start = index;
    const body: string[] = [];
    index++;
    while (index < lines.length && !(lines[index] ?? '').startsWith(fence)) {
      body.push(lines[index] ?? '');
      index++;
    }
    if (index >= lines.length) throw new Error(`line ${start + 1}: the code block is never closed`);
    const between = lines.slice(lastClosedAt + 1, start);
    blocks.push({
      language,
      tags,
      body: body.join('\n'),
      line: start + 1,
      followsPrevious: lastClosedAt >= 0 && between.every((text) => text.trim() === ''),
    });
    lastClosedAt = index;
  }
  return blocks;
}

/**
 * Whether `actual` shows every line of `expected`, in order (other lines may come between).
 * In an expected line `…` stands for any text; the rest must match exactly.
 */
export function findMissingLine(expected: string, actual: string): string | undefined {
  const actualLines = actual.split('\n').map((line) => line.trimEnd());
  let position = 0;
  for (const line of expected.split('\n')) {
    if (line.trim() === '') continue;
    const pattern = new RegExp(
      `^${line
        .trimEnd()
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    while (position < actualLines.length && !pattern.test(actualLines[position] ?? '')) position++;
    if (position === actualLines.length) return line;
    position++;
  }
  return undefined;
}

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a guide's shell block with bash (`set -eo pipefail`), by default from the repository root.
 * `pnpm` is the pnpm running this suite when there is one (`npm_execpath`), so the block works
 * whether pnpm is installed or came through `npx`.
 */
export function runShellBlock(
  script: string,
  timeoutMs = 60_000,
  cwd = REPOSITORY_ROOT,
): Promise<ShellResult> {
  const pnpmScript = process.env.npm_execpath;
  const prelude =
    pnpmScript !== undefined && /pnpm\.c?js$/.test(pnpmScript)
      ? `pnpm() { "${process.execPath}" "${pnpmScript}" "$@"; }\n`
      : '';
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -eo pipefail\n${prelude}${script}`],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
        timeout: timeoutMs,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
