import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';
import { type FencedBlock, readFencedBlocks, readGuide } from './docs-markdown.js';

// docs/knowledge-language.md, run as written: every ```cairn block is a program (facts told,
// rules taught, through GraphQL) and queries with the answers the guide promises. See the
// guide's "How to read the examples" for the notation this suite reads.

type Expectation =
  | { readonly kind: 'answer'; readonly text: string }
  | { readonly kind: 'refused'; readonly text: string }
  | { readonly kind: 'because'; readonly text: string };

interface Statement {
  readonly kind: 'clause' | 'query';
  readonly text: string;
  readonly tenant: string;
  readonly line: number;
  readonly expectations: Expectation[];
}

/** Splits a line at clause-ending dots (a `.` outside quotes followed by a space or the end). */
function splitClauses(line: string): string[] {
  const clauses: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index] ?? '';
    if (quoted && character === '\\') {
      current += character + (line[index + 1] ?? '');
      index++;
      continue;
    }
    if (character === '"') quoted = !quoted;
    if (!quoted && character === '.' && /^\s|^$/.test(line.slice(index + 1, index + 2))) {
      if (current.trim() !== '') clauses.push(current.trim());
      current = '';
      continue;
    }
    current += character;
  }
  if (current.trim() !== '') clauses.push(current.trim());
  return clauses;
}

function readStatements(block: FencedBlock): Statement[] {
  const statements: Statement[] = [];
  let tenant = 'default';
  let pending = '';
  let pendingLine = 0;
  for (const [offset, raw] of block.body.split('\n').entries()) {
    const line = raw.trim();
    const where = block.line + 1 + offset;
    const expectation = /^%\s*(→|✗|because)\s*(.*)$/.exec(line);
    if (expectation !== null) {
      const last = statements.at(-1);
      if (last === undefined) throw new Error(`line ${where}: an expectation before any clause`);
      const kind =
        expectation[1] === '→' ? 'answer' : expectation[1] === '✗' ? 'refused' : 'because';
      last.expectations.push({ kind, text: (expectation[2] ?? '').trim() });
      continue;
    }
    const directive = /^%\s*tenant\s+(\S+)$/.exec(line);
    if (directive !== null) {
      tenant = directive[1] ?? 'default';
      continue;
    }
    if (line === '' || line.startsWith('%') || line.startsWith('#')) continue;
    if (pending === '') pendingLine = where;
    pending = pending === '' ? line : `${pending} ${line}`;
    // A rule continues after ":-" and after ",", as in the language itself.
    if (line.endsWith(':-') || line.endsWith(',')) continue;
    if (pending.startsWith('?-')) {
      statements.push({
        kind: 'query',
        text: pending,
        tenant,
        line: pendingLine,
        expectations: [],
      });
    } else {
      for (const clause of splitClauses(pending)) {
        statements.push({
          kind: 'clause',
          text: clause,
          tenant,
          line: pendingLine,
          expectations: [],
        });
      }
    }
    pending = '';
  }
  return statements;
}

/** Prints a value the way the guide writes it: bare names bare, other strings quoted. */
function printValue(value: unknown): string {
  if (typeof value === 'string') {
    const bare =
      /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value) && !['not', 'true', 'false'].includes(value);
    return bare ? value : JSON.stringify(value);
  }
  return String(value);
}

function printSolution(solution: Record<string, unknown>): string {
  const bindings = Object.entries(solution);
  return bindings.length === 0
    ? 'yes'
    : bindings.map(([name, value]) => `${name} = ${printValue(value)}`).join(', ');
}

function collectFactLeaves(node: unknown, into: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as { kind?: unknown; fact?: unknown; children?: unknown };
  if (record.kind === 'fact' && typeof record.fact === 'string') into.add(record.fact);
  if (Array.isArray(record.children))
    for (const child of record.children) collectFactLeaves(child, into);
}

const blocks = readFencedBlocks(await readGuide('knowledge-language.md')).filter(
  (block) => block.language === 'cairn',
);

let data: Awaited<ReturnType<typeof createTempDataDir>>;
let server: ServerProcess;

beforeAll(async () => {
  data = await createTempDataDir('cairn-docs-language-');
  server = await startServer({ DATA_DIR: `${data.dir}/data`, LOG_FORMAT: 'json' });
});

afterAll(async () => {
  await server?.stop();
  await data?.remove();
});

async function call(query: string, variables: Record<string, unknown>) {
  const response = await server.graphql(query, variables);
  expect(response.status).toBe(200);
  return response.body;
}

describe('docs/knowledge-language.md', () => {
  test('has runnable examples, each with expectations', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    for (const block of blocks) {
      const statements = readStatements(block);
      expect(
        statements.some((statement) => statement.expectations.length > 0),
        `block at line ${block.line} checks nothing`,
      ).toBe(true);
    }
  });

  test('every graphql example answers what the json block after it says', async () => {
    const all = readFencedBlocks(await readGuide('knowledge-language.md'));
    const pairs = all.flatMap((block, index) => {
      const next = all[index + 1];
      return block.language === 'graphql' && next?.language === 'json' && next.followsPrevious
        ? [{ query: block, answer: next }]
        : [];
    });
    expect(pairs.length).toBeGreaterThan(0);
    for (const { query, answer } of pairs) {
      const body = await call(query.body, {});
      expect(body, `line ${query.line}`).toEqual(JSON.parse(answer.body));
    }
  });

  for (const [index, block] of blocks.entries()) {
    const statements = readStatements(block);
    test(`example at line ${block.line}`, async () => {
      const database = `docs-example-${index}`;
      const created = await call('mutation($n: String!) { createDatabase(name: $n) { name } }', {
        n: database,
      });
      expect(created.errors).toBeUndefined();
      for (const statement of statements) {
        const where = `line ${statement.line}: ${statement.text}`;
        const refused = statement.expectations.find((e) => e.kind === 'refused');
        if (statement.kind === 'clause') {
          const isRule = statement.text.includes(':-');
          const body = isRule
            ? await call(
                'mutation($d: String, $r: String!) { teach(database: $d, rule: $r) { id } }',
                {
                  d: database,
                  r: statement.text,
                },
              )
            : await call(
                'mutation($d: String, $t: String, $f: String!) { tell(database: $d, tenant: $t, fact: $f) { text } }',
                { d: database, t: statement.tenant, f: statement.text },
              );
          if (refused === undefined) {
            expect(body.errors, where).toBeUndefined();
          } else {
            expect(body.errors?.[0]?.message, where).toContain(refused.text);
            expect(body.errors?.[0]?.extensions?.code, where).toBe('BAD_USER_INPUT');
          }
          continue;
        }
        const because = statement.expectations.filter((e) => e.kind === 'because');
        const body = await call(
          'query($d: String, $t: String, $q: String!, $p: Boolean, $l: Int) { ask(database: $d, tenant: $t, query: $q, proof: $p, limit: $l) { solutions count truncated proofs } }',
          {
            d: database,
            t: statement.tenant,
            q: statement.text,
            p: because.length > 0,
            l: because.length > 0 ? 100 : null,
          },
        );
        if (refused !== undefined) {
          expect(body.errors?.[0]?.message, where).toContain(refused.text);
          expect(body.errors?.[0]?.extensions?.code, where).toBe('BAD_USER_INPUT');
          continue;
        }
        expect(body.errors, where).toBeUndefined();
        const ask = (
          body.data as { ask: { solutions: Record<string, unknown>[]; proofs: unknown[] | null } }
        ).ask;
        const printed = ask.solutions.map(printSolution);
        const expected = statement.expectations
          .filter((e) => e.kind === 'answer')
          .flatMap((e) => (e.text === 'no' ? [] : [e.text]));
        expect(printed.sort(), where).toEqual(expected.sort());
        if (because.length > 0) {
          const leaves = new Set<string>();
          for (const proof of ask.proofs ?? []) collectFactLeaves(proof, leaves);
          expect([...leaves].sort(), where).toEqual(because.map((e) => e.text).sort());
        }
      }
    });
  }
});
