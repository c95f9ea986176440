// `pnpm bench`: every row of the bench table on Cairn (one worker process per row, with a time
// budget) and on SWI-Prolog with tabling (timed inside Prolog after loading), in the same run;
// prints one JSON document to stdout and progress to stderr. Optional arguments: row ids.
import { findSwipl } from '../test/support/swipl-runner.js';
import { describeMachine } from './machine.js';
import { runCairnWorker, type WorkerOutcome } from './run-worker.js';
import { round } from './statistics.js';
import {
  measureEvaluationWithSwipl,
  measureLoadWithSwipl,
  type SwiplMeasurement,
} from './swipl-measure.js';
import { type Targets, WORKLOADS, type Workload } from './workloads.js';

/** The whole bench stays under 10 minutes: rows get what is left of this, at most. */
const TOTAL_BUDGET_MS = 9 * 60_000;

type SwiplOutcome =
  | { readonly status: 'ok'; readonly measurement: SwiplMeasurement }
  | { readonly status: 'exceeded'; readonly budgetMs: number }
  | { readonly status: 'failed' | 'not-run'; readonly reason: string };

const started = performance.now();
const remaining = (): number => TOTAL_BUDGET_MS - (performance.now() - started);
const swipl = findSwipl();
const selected = process.argv.slice(2);
const workloads =
  selected.length === 0 ? WORKLOADS : WORKLOADS.filter((w) => selected.includes(w.id));
const swiplResults = new Map<string, SwiplMeasurement>();

const machine = describeMachine(swipl);
if (swipl === undefined) {
  console.error(
    '*** SWIPL MISSING: SWI-Prolog baselines are not measured (apt-get install swi-prolog-nox) ***',
  );
}
const rows = [];
for (const workload of workloads) {
  if (remaining() < 10_000) {
    rows.push({
      id: workload.id,
      title: workload.title,
      status: 'skipped: bench time budget spent',
    });
    continue;
  }
  console.error(`[bench] ${workload.id}: Cairn…`);
  const cairn = await runCairnWorker(workload.id, Math.min(workload.budgetMs, remaining()));
  console.error(`[bench] ${workload.id}: SWI-Prolog…`);
  const swi = await measureSwipl(workload);
  if (swi.status === 'ok') swiplResults.set(workload.id, swi.measurement);
  rows.push(report(workload, cairn, swi));
}
const document = {
  benchmark: '@cairn/logic against SWI-Prolog with tabling',
  date: new Date().toISOString(),
  machine,
  method:
    'Cairn: median of `runs` asks, each on a fresh knowledge base with the facts and rules ' +
    'already loaded (load time reported apart); SWI-Prolog: statistics(cputime)/get_time ' +
    'around aggregate_all(count, Goal, N) after the program is loaded. Ratios are CPU time ' +
    'over CPU time (the machine is shared; wall ratios are given too). Answer sets are compared ' +
    'by count plus an order-independent 64-bit hash of the distinct answers.',
  totalSeconds: round((performance.now() - started) / 1000, 1),
  rows,
};
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);

async function measureSwipl(workload: Workload): Promise<SwiplOutcome> {
  if (swipl === undefined) return { status: 'not-run', reason: 'SWIPL MISSING' };
  if (workload.kind === 'lookup')
    return { status: 'not-run', reason: 'no SWI-Prolog baseline for this row' };
  const budgetMs = Math.min(
    (workload.kind === 'evaluate' ? workload.swiBudgetMs : undefined) ?? workload.budgetMs,
    remaining(),
  );
  try {
    const measurement =
      workload.kind === 'evaluate'
        ? await measureEvaluationWithSwipl(workload, budgetMs)
        : await measureLoadWithSwipl(workload, budgetMs);
    return { status: 'ok', measurement };
  } catch (error) {
    const message = String(error);
    return message.includes('timed out')
      ? { status: 'exceeded', budgetMs }
      : { status: 'failed', reason: message.slice(0, 2_000) };
  }
}

function report(workload: Workload, cairn: WorkerOutcome, swi: SwiplOutcome) {
  const base = {
    id: workload.id,
    title: workload.title,
    target: workload.target,
    ...('expectedAnswers' in workload ? { expectedAnswers: workload.expectedAnswers } : {}),
    ...('swiReferenceMs' in workload ? { swiReferenceMs: workload.swiReferenceMs } : {}),
    ...('note' in workload && workload.note !== undefined ? { note: workload.note } : {}),
    cairn: cairn.status === 'ok' ? { status: 'ok', ...cairn.measurement } : cairn,
    swipl: swi.status === 'ok' ? { status: 'ok', ...swi.measurement } : swi,
  };
  if (cairn.status !== 'ok') return { ...base, meetsTarget: false };
  const measured = cairn.measurement;
  let baseline = swi.status === 'ok' ? swi.measurement : undefined;
  let baselineFrom = workload.id;
  if (
    baseline === undefined &&
    workload.kind === 'evaluate' &&
    workload.swiFallbackRow !== undefined
  ) {
    baseline = swiplResults.get(workload.swiFallbackRow);
    baselineFrom = workload.swiFallbackRow;
  }
  const comparison: Record<string, unknown> = {};
  if (baseline !== undefined && measured.kind !== 'lookup') {
    comparison.baselineFrom = baselineFrom;
    comparison.cpuRatio = round(measured.medianCpuMs / Math.max(baseline.cpuMs, 0.001));
    comparison.wallRatio = round(measured.medianWallMs / Math.max(baseline.wallMs, 0.001));
    comparison.identicalAnswers =
      measured.kind === 'evaluate'
        ? measured.fingerprint === baseline.fingerprint
        : measured.factsStored === baseline.count;
  }
  return {
    ...base,
    ...comparison,
    meetsTarget: meetsTargets(workload.targets, measured, comparison),
  };
}

function meetsTargets(
  targets: Targets,
  measured: Extract<WorkerOutcome, { status: 'ok' }>['measurement'],
  comparison: Record<string, unknown>,
): boolean | 'unknown' {
  const checks: Array<boolean | undefined> = [];
  if (targets.maxRatio !== undefined) {
    const ratio = comparison.cpuRatio;
    checks.push(typeof ratio === 'number' ? ratio <= targets.maxRatio : undefined);
  }
  // CPU time, not wall time: the bench machine's cores are shared with other jobs, and wall
  // time then measures the neighbours. Both are in the output.
  if (targets.maxMs !== undefined && measured.kind !== 'lookup') {
    checks.push(measured.medianCpuMs <= targets.maxMs);
  }
  if (targets.maxPeakRssMb !== undefined) checks.push(measured.peakRssMb <= targets.maxPeakRssMb);
  if (targets.maxP99Us !== undefined && measured.kind === 'lookup') {
    checks.push(measured.p99Us <= targets.maxP99Us);
  }
  if (comparison.identicalAnswers === false) return false;
  if (checks.includes(false)) return false;
  return checks.includes(undefined) ? 'unknown' : true;
}
