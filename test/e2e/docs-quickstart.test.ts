import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';
import {
  DOCUMENTED_ADDRESS,
  type FencedBlock,
  findMissingLine,
  readFencedBlocks,
  readGuide,
  runShellBlock,
} from './docs-markdown.js';

// docs/quickstart.md, run as written: its ```sh blocks are executed in order against a real
// `cairn serve`, and a ```json or ```text block right after one is the output it must print.
// A ```sh server block is the start command: the suite starts the same CLI itself (on a free
// port and a temporary DATA_DIR) and checks the server's own output against the block after it.

interface Step {
  readonly command: FencedBlock;
  readonly output?: FencedBlock;
}

const OUTPUT_LANGUAGES = new Set(['json', 'text']);

function readSteps(blocks: readonly FencedBlock[]): Step[] {
  const steps: Step[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.language === 'sh') {
      steps.push({ command: block });
    } else if (OUTPUT_LANGUAGES.has(block.language)) {
      const previous = blocks[index - 1];
      const step = steps.at(-1);
      // An output block that belongs to no command would silently check nothing.
      if (!block.followsPrevious || previous?.language !== 'sh' || step === undefined) {
        throw new Error(`docs/quickstart.md line ${block.line}: output block without a command`);
      }
      steps[steps.length - 1] = { ...step, output: block };
    }
  }
  return steps;
}

function withAddress(text: string, address: string): string {
  return text.replaceAll(DOCUMENTED_ADDRESS, address);
}

function expectOutput(output: FencedBlock, actual: string, address: string): void {
  const expected = withAddress(output.body, address);
  if (output.language === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(actual);
    } catch {
      throw new Error(`line ${output.line}: the command printed no single JSON value:\n${actual}`);
    }
    expect(parsed, `output shown at line ${output.line}`).toEqual(JSON.parse(expected));
    return;
  }
  const missing = findMissingLine(expected, actual);
  expect(missing, `line ${output.line}: not in the output:\n${actual}`).toBeUndefined();
}

const steps = readSteps(readFencedBlocks(await readGuide('quickstart.md')));
const [serverStep, ...commandSteps] = steps;

let data: Awaited<ReturnType<typeof createTempDataDir>>;
let server: ServerProcess;
let address: string;

beforeAll(async () => {
  data = await createTempDataDir('cairn-docs-');
  server = await startServer({ DATA_DIR: `${data.dir}/data`, LOG_FORMAT: 'json' });
  address = new URL(server.url).host;
});

afterAll(async () => {
  await server?.stop();
  await data?.remove();
});

describe('docs/quickstart.md', () => {
  test('starts with the README start command, on the pnpm this repository pins', async () => {
    expect(serverStep?.command.tags).toEqual(['server']);
    expect(serverStep?.command.body).toBe(
      'npx --yes pnpm@10.34.9 install --frozen-lockfile && npx --yes pnpm@10.34.9 start',
    );
    const rootPackage = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { packageManager: string; scripts: Record<string, string> };
    expect(rootPackage.packageManager).toBe('pnpm@10.34.9');
    // The suite starts what `pnpm start` ends with, so the two must stay the same command.
    expect(rootPackage.scripts.start).toMatch(/&& node apps\/server\/dist\/cli\.js serve$/);
    expect(commandSteps.length).toBeGreaterThanOrEqual(10);
  });

  test('the server prints what the guide shows', () => {
    const output = serverStep?.output;
    expect(output?.language).toBe('text');
    const printed = server.logs.map((record) => JSON.stringify(record)).join('\n');
    expectOutput(output as FencedBlock, printed, address);
  });

  test('README.md: the two commands, and its first tell and ask print what it says', async () => {
    const readme = readFencedBlocks(
      await readFile(new URL('../../README.md', import.meta.url), 'utf8'),
    ).filter((block) => block.language === 'sh');
    const commands = readme[0]?.body.split('\n').filter((line) => !line.startsWith('#'));
    expect(commands).toEqual([
      'npx --yes pnpm@10.34.9 install --frozen-lockfile && npx --yes pnpm@10.34.9 start',
      '',
      'npx --yes pnpm@10.34.9 install --frozen-lockfile && npx --yes pnpm@10.34.9 test',
    ]);
    // The second block is a first tell and ask; each `# …` line is what the curl before it prints.
    const firstSteps = readme[1]?.body ?? '';
    const shown = firstSteps
      .split('\n')
      .filter((line) => line.startsWith('# '))
      .map((line) => line.slice(2));
    expect(shown.length).toBe(2);
    const result = await runShellBlock(withAddress(firstSteps, address));
    expect(result.code, result.stderr).toBe(0);
    // The guide tells parent(alice, bob) again later: the same fact told twice is stored once.
    expect(result.stdout).toBe(shown.join(''));
  });

  test('README.md: the layout names every package and app, and nothing that is gone', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const layout = readFencedBlocks(readme).find((block) => block.body.includes('packages/crypto'));
    const listed = (layout?.body ?? '')
      .split('\n')
      .map((line) => /^((?:packages|apps)\/[a-z-]+)\s/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined);
    const present: string[] = [];
    for (const parent of ['packages', 'apps']) {
      const entries = await readdir(new URL(`../../${parent}/`, import.meta.url), {
        withFileTypes: true,
      });
      for (const entry of entries) {
        const manifest = new URL(`../../${parent}/${entry.name}/package.json`, import.meta.url);
        if (
          entry.isDirectory() &&
          (await readFile(manifest).catch(() => undefined)) !== undefined
        ) {
          present.push(`${parent}/${entry.name}`);
        }
      }
    }
    expect(listed.sort()).toEqual(present.sort());
  });

  for (const step of commandSteps) {
    const firstLine = step.command.body.split('\n')[0] ?? '';
    test(`line ${step.command.line}: ${firstLine.slice(0, 70)}`, async () => {
      expect(step.command.tags, 'only the start command is marked').toEqual([]);
      const result = await runShellBlock(withAddress(step.command.body, address));
      expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
      if (step.output !== undefined) expectOutput(step.output, result.stdout, address);
    });
  }
});
