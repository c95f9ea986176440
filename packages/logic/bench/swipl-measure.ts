// The SWI-Prolog side of the bench: the same workload translated with tabling, timed inside
// Prolog after loading (statistics(cputime) and get_time around the goal), then every answer
// written to a file that is fingerprinted here, outside the timed region.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AnswerFingerprint } from '../test/support/answer-set.js';
import { graphFacts } from '../test/support/graph-generators.js';
import { PROLOG_PRELUDE, translateProgram } from '../test/support/prolog-translation.js';
import { runSwiplProgram } from '../test/support/swipl-runner.js';
import { type EvaluationWorkload, type LoadWorkload, workloadProgram } from './workloads.js';

export interface SwiplMeasurement {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Answers (evaluation) or clauses loaded (load). */
  readonly count: number;
  readonly fingerprint?: string;
}

const FLAGS = ['--stack-limit=8g', '--table-space=8g'];
const LOCATE = ':- prolog_load_context(directory, D), assertz(bench_dir(D)).';
const REPORT = `    get_time(W1), statistics(cputime, C1),
    Wall is (W1 - W0) * 1000, Cpu is (C1 - C0) * 1000,
    format("TIME ~4f ~4f ~d~n", [Wall, Cpu, N])`;

export async function measureEvaluationWithSwipl(
  workload: EvaluationWorkload,
  timeoutMs: number,
): Promise<SwiplMeasurement> {
  const translated = translateProgram(workloadProgram(workload), {
    queries: [workload.query],
    tabling: workload.swiTabling ?? 'variant',
  });
  const goal = translated.translateQuery(workload.query);
  // Bench values are identifier-like atoms (n123), written as they are; the differential
  // suite uses the exact code-point encoding instead.
  const text = `${PROLOG_PRELUDE}${LOCATE}
${translated.text}
bench_goal(${goal.variableList}) :- ${goal.goal}.
main :-
    statistics(cputime, C0), get_time(W0),
    aggregate_all(count, bench_goal(_), N),
${REPORT},
    bench_dir(D), atom_concat(D, '/answers.tsv', F),
    setup_call_cleanup(open(F, write, S),
        forall(bench_goal(Row), (atomic_list_concat(Row, '\\t', L), write(S, L), nl(S))),
        close(S)).
`;
  const fingerprint = new AnswerFingerprint();
  const { stdout } = await runSwiplProgram(text, {
    timeoutMs,
    flags: FLAGS,
    afterRun: async (directory) => {
      const lines = createInterface({ input: createReadStream(join(directory, 'answers.tsv')) });
      for await (const line of lines) fingerprint.addTuple(line.split('\t'));
    },
  });
  return { ...parseTime(stdout), fingerprint: fingerprint.digest() };
}

export async function measureLoadWithSwipl(
  workload: LoadWorkload,
  timeoutMs: number,
): Promise<SwiplMeasurement> {
  const facts = translateProgram(graphFacts(workload.graph(), 'edge')).text;
  const text = `${PROLOG_PRELUDE}${LOCATE}
main :-
    bench_dir(D), atom_concat(D, '/facts.pl', F),
    statistics(cputime, C0), get_time(W0),
    load_files(F, []),
    ( 'edge'('n0', _) -> true ; true ),
    predicate_property('edge'(_, _), number_of_clauses(N)),
${REPORT}.
`;
  const { stdout } = await runSwiplProgram(text, {
    timeoutMs,
    flags: FLAGS,
    files: { 'facts.pl': facts },
  });
  return parseTime(stdout);
}

function parseTime(stdout: string): SwiplMeasurement {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('TIME '));
  const [wallMs, cpuMs, count] = (line ?? '').split(' ').slice(1).map(Number);
  if (wallMs === undefined || cpuMs === undefined || count === undefined || Number.isNaN(count)) {
    throw new Error(`swipl printed no timing line:\n${stdout.slice(0, 2000)}`);
  }
  return { wallMs, cpuMs, count };
}
