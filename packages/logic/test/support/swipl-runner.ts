// Runs SWI-Prolog as a child process on a generated file, with a timeout, and reads the
// answers of many (program, query) cases back from one run: one swipl start (~100 ms) serves
// a whole batch because every case's predicates carry their own prefix.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Clause, Query } from '../../src/language/ast.js';
import { type AnswerSet, createAnswerSet, type Tuple } from './answer-set.js';
import { parseValueText } from './prolog-syntax.js';
import { PROLOG_PRELUDE, translateProgram } from './prolog-translation.js';

/** The `swipl` executable on PATH, or undefined when SWI-Prolog is not installed. */
export function findSwipl(path: string | undefined = process.env.PATH): string | undefined {
  for (const directory of (path ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, 'swipl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface SwiplRunOptions {
  readonly timeoutMs?: number;
  /** Extra command-line flags, e.g. `--stack-limit=8g`. */
  readonly flags?: readonly string[];
  readonly executable?: string;
  /** More files to write next to the program (name → text); the program finds them with
   * `prolog_load_context(directory, D)`. */
  readonly files?: Readonly<Record<string, string>>;
  /** Called with the temp directory after swipl exits, before it is removed (read outputs). */
  readonly afterRun?: (directory: string) => Promise<void>;
}

export interface SwiplOutput {
  readonly stdout: string;
  readonly stderr: string;
}

export class SwiplError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly programText: string,
  ) {
    super(message);
    this.name = 'SwiplError';
  }
}

/** Writes `programText` to a temp file and runs `swipl -q -g main -t halt file` on it. */
export async function runSwiplProgram(
  programText: string,
  options: SwiplRunOptions = {},
): Promise<SwiplOutput> {
  const executable = options.executable ?? findSwipl();
  if (executable === undefined)
    throw new Error('swipl is not installed (apt-get install swi-prolog-nox)');
  const directory = await mkdtemp(join(tmpdir(), 'cairn-swipl-'));
  const file = join(directory, 'program.pl');
  try {
    await writeFile(file, programText, 'utf8');
    for (const [name, text] of Object.entries(options.files ?? {})) {
      await writeFile(join(directory, name), text, 'utf8');
    }
    const args = [
      '--on-error=halt',
      ...(options.flags ?? []),
      '-q',
      '-g',
      'main',
      '-t',
      'halt',
      file,
    ];
    const output = await new Promise<SwiplOutput>((resolve, reject) => {
      execFile(
        executable,
        args,
        { timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 30, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          if (error === null) resolve({ stdout, stderr });
          else {
            const why = error.killed
              ? `timed out after ${options.timeoutMs ?? 60_000} ms`
              : error.message;
            reject(new SwiplError(`swipl failed: ${why}\n${stderr}`, stderr, programText));
          }
        },
      );
    });
    await options.afterRun?.(directory);
    return output;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export interface DifferentialCase {
  readonly id: string;
  readonly program: readonly Clause[];
  readonly query: Query;
}

export interface SwiplAnswers {
  readonly variables: readonly string[];
  readonly answers: AnswerSet;
}

const RUNNER = String.raw`
cairn_run(Id, Vars, Goal) :-
    catch(( findall(Vars, Goal, Rows0), sort(Rows0, Rows), length(Rows, N),
            format("BEGIN ~w~n", [Id]),
            forall(member(Row, Rows), cairn_print_row(Row)),
            format("END ~w ~d~n", [Id, N]) ),
          Error,
          ( format("ERROR ~w ~q~n", [Id, Error]) )).
cairn_print_row(Row) :-
    maplist(cairn_value_text, Row, Texts),
    atomic_list_concat(['R'|Texts], '\t', Line),
    writeln(Line).
cairn_value_text(V, T) :- integer(V), !, format(atom(T), 'n:~d', [V]).
cairn_value_text(V, T) :- float(V), !, format(atom(T), 'n:~w', [V]).
cairn_value_text('$bool'(B), T) :- !, atom_concat('b:', B, T).
cairn_value_text(V, T) :-
    atom(V), atom_codes(V, Codes), atomic_list_concat(Codes, ',', Joined), atom_concat('s:', Joined, T).
main :- forall(cairn_case(Id, Vars, Goal), cairn_run(Id, Vars, Goal)).
`;

/** The whole Prolog file for a batch of cases (exposed so failures can show it). */
export function batchProgramText(cases: readonly DifferentialCase[]): string {
  const parts = [PROLOG_PRELUDE, ':- discontiguous cairn_case/3.', RUNNER];
  cases.forEach((testCase, index) => {
    const translated = translateProgram(testCase.program, {
      prefix: `c${index}_`,
      queries: [testCase.query],
    });
    const goal = translated.translateQuery(testCase.query);
    parts.push(`% case ${testCase.id}`, translated.text);
    parts.push(`cairn_case(c${index}, ${goal.variableList}, (${goal.goal})).`);
  });
  return parts.join('\n');
}

/** Evaluates every case in one SWI-Prolog run; the result is keyed by case id. */
export async function evaluateWithSwipl(
  cases: readonly DifferentialCase[],
  options: SwiplRunOptions = {},
): Promise<Map<string, SwiplAnswers>> {
  const text = batchProgramText(cases);
  const { stdout, stderr } = await runSwiplProgram(text, options);
  const rows = new Map<number, Tuple[]>();
  const counts = new Map<number, number>();
  let current: Tuple[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('R')) {
      if (current === undefined) throw new SwiplError(`row outside a case: ${line}`, stderr, text);
      current.push(line.split('\t').slice(1).map(parseValueText));
    } else if (line.startsWith('BEGIN c')) {
      current = [];
      rows.set(Number(line.slice(7)), current);
    } else if (line.startsWith('END c')) {
      const [index, count] = line.slice(5).split(' ').map(Number);
      counts.set(index as number, count as number);
      current = undefined;
    } else if (line.startsWith('ERROR')) {
      throw new SwiplError(`swipl raised an error: ${line}\n${stderr}`, stderr, text);
    }
  }
  const results = new Map<string, SwiplAnswers>();
  cases.forEach((testCase, index) => {
    const tuples = rows.get(index);
    if (tuples === undefined || counts.get(index) !== tuples.length) {
      throw new SwiplError(
        `no complete answer from swipl for case ${testCase.id}\n${stderr}`,
        stderr,
        text,
      );
    }
    const answers = createAnswerSet(tuples);
    results.set(testCase.id, {
      variables: translateProgram([], {}).translateQuery(testCase.query).variables,
      answers,
    });
  });
  return results;
}
