// Cairn's side of each bench row, run inside a worker process (bench/cairn-worker.ts) so that
// peak memory is the row's own and a row that runs too long can be killed.
import type { Fact, Rule } from '../src/index.js';
import { createKnowledgeBase, parseProgram } from '../src/index.js';
import { AnswerFingerprint, tuplesFromSolutions } from '../test/support/answer-set.js';
import { positive, query, queryVariables } from '../test/support/ast-builders.js';
import { NO_LIMITS } from '../test/support/cairn-evaluator.js';
import { graphFacts, graphFactsText, nodeName } from '../test/support/graph-generators.js';
import { createSeededRandom } from '../test/support/seeded-random.js';
import { median, megabytes, percentile, round } from './statistics.js';
import type { EvaluationWorkload, LoadWorkload, LookupWorkload } from './workloads.js';
import { workloadProgram } from './workloads.js';

export interface CairnMemory {
  /** Peak RSS of the whole worker process (Node itself and the generated input included). */
  readonly peakRssMb: number;
  /** RSS just before the first timed operation (facts loaded, input generated). */
  readonly rssBeforeMb: number;
  /** Heap growth across the first timed operation, its result still alive. */
  readonly heapDeltaMb: number;
}

export interface CairnEvaluation extends CairnMemory {
  readonly kind: 'evaluate';
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly medianWallMs: number;
  readonly medianCpuMs: number;
  readonly minCpuMs: number;
  /** Time to teach the rules and assert the facts (not part of the timed query). */
  readonly medianLoadMs: number;
  readonly answers: number;
  readonly fingerprint: string;
}

export interface CairnLoad extends CairnMemory {
  readonly kind: 'load';
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly medianWallMs: number;
  readonly medianCpuMs: number;
  readonly medianParseMs: number;
  readonly factsStored: number;
}

export interface CairnLookup extends CairnMemory {
  readonly kind: 'lookup';
  readonly lookups: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly meanUs: number;
  readonly maxUs: number;
  readonly answers: number;
}

export type CairnMeasurement = CairnEvaluation | CairnLoad | CairnLookup;

const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();
const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024, 1);

export function measureEvaluationWithCairn(workload: EvaluationWorkload): CairnEvaluation {
  const program = workloadProgram(workload);
  const facts = program.filter((clause): clause is Fact => clause.kind === 'fact');
  const rules = program.filter((clause): clause is Rule => clause.kind === 'rule');
  const variables = queryVariables(workload.query);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const loadMs: number[] = [];
  let fingerprint = new AnswerFingerprint();
  let memory = { rssBeforeMb: 0, heapDeltaMb: 0 };
  for (let run = 0; run < workload.runs; run++) {
    collectGarbage();
    const loadStart = performance.now();
    const kb = createKnowledgeBase({ limits: NO_LIMITS });
    for (const [index, rule] of rules.entries()) {
      kb.apply({ type: 'teach', id: `r${index + 1}`, rule, at: 0 });
    }
    kb.apply({ type: 'assert', tenant: 'default', facts, at: 0 });
    loadMs.push(performance.now() - loadStart);
    collectGarbage();
    const before = process.memoryUsage();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = kb.ask(workload.query, { asOf: 0, limits: NO_LIMITS });
    wallMs.push(round(performance.now() - start));
    cpuMs.push(round(cpuMsSince(cpuStart)));
    if (run === 0) {
      memory = {
        rssBeforeMb: megabytes(before.rss),
        heapDeltaMb: megabytes(process.memoryUsage().heapUsed - before.heapUsed),
      };
    }
    if (result.truncated) throw new Error('Cairn truncated the answers although no limit was set');
    fingerprint = new AnswerFingerprint();
    for (const tuple of tuplesFromSolutions(result.solutions, variables))
      fingerprint.addTuple(tuple);
  }
  return {
    kind: 'evaluate',
    wallMs,
    cpuMs,
    medianWallMs: median(wallMs),
    medianCpuMs: median(cpuMs),
    minCpuMs: Math.min(...cpuMs),
    medianLoadMs: round(median(loadMs)),
    answers: fingerprint.count,
    fingerprint: fingerprint.digest(),
    peakRssMb: peakRssMb(),
    ...memory,
  };
}

export function measureLoadWithCairn(workload: LoadWorkload): CairnLoad {
  const text = graphFactsText(workload.graph(), 'edge');
  const limits = { maxInputLength: Number.POSITIVE_INFINITY, maxClauses: Number.POSITIVE_INFINITY };
  const firstLookup = query(positive('edge', 'n0', '?y'));
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const parseMs: number[] = [];
  let factsStored = 0;
  let memory = { rssBeforeMb: 0, heapDeltaMb: 0 };
  for (let run = 0; run < workload.runs; run++) {
    collectGarbage();
    const before = process.memoryUsage();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const clauses = parseProgram(text, { limits });
    parseMs.push(performance.now() - start);
    const kb = createKnowledgeBase();
    kb.apply({ type: 'assert', tenant: 'default', facts: clauses as Fact[], at: 0 });
    kb.ask(firstLookup, { asOf: 0 });
    wallMs.push(round(performance.now() - start));
    cpuMs.push(round(cpuMsSince(cpuStart)));
    if (run === 0) {
      memory = {
        rssBeforeMb: megabytes(before.rss),
        heapDeltaMb: megabytes(process.memoryUsage().heapUsed - before.heapUsed),
      };
    }
    factsStored = kb.predicates().find((info) => info.name === 'edge')?.facts ?? 0;
  }
  return {
    kind: 'load',
    wallMs,
    cpuMs,
    medianWallMs: median(wallMs),
    medianCpuMs: median(cpuMs),
    medianParseMs: round(median(parseMs)),
    factsStored,
    peakRssMb: peakRssMb(),
    ...memory,
  };
}

export function measureLookupWithCairn(workload: LookupWorkload): CairnLookup {
  const graph = workload.graph();
  const kb = createKnowledgeBase();
  kb.apply({ type: 'assert', tenant: 'default', facts: graphFacts(graph, 'edge'), at: 0 });
  const random = createSeededRandom(workload.seed);
  const queries = Array.from({ length: workload.lookups }, () =>
    query(positive('edge', nodeName(random.integer(0, graph.nodes - 1)), '?y')),
  );
  // Warm-up: let the JIT compile the lookup path before it is timed.
  for (const warmUp of queries.slice(0, 1_000)) kb.ask(warmUp, { asOf: 0 });
  collectGarbage();
  const before = process.memoryUsage();
  const micros: number[] = [];
  let answers = 0;
  for (const lookup of queries) {
    const start = process.hrtime.bigint();
    answers += kb.ask(lookup, { asOf: 0 }).count;
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return {
    kind: 'lookup',
    lookups: queries.length,
    p50Us: round(percentile(micros, 50)),
    p99Us: round(percentile(micros, 99)),
    p999Us: round(percentile(micros, 99.9)),
    meanUs: round(micros.reduce((sum, value) => sum + value, 0) / micros.length),
    maxUs: round(Math.max(...micros)),
    answers,
    peakRssMb: peakRssMb(),
    rssBeforeMb: megabytes(before.rss),
    heapDeltaMb: megabytes(process.memoryUsage().heapUsed - before.heapUsed),
  };
}
