// Entry of the worker process that measures one bench row on Cairn and prints one JSON line.
// Run by bench/run.ts as: node --expose-gc --import tsx bench/cairn-worker.ts <row id>
import {
  type CairnMeasurement,
  measureEvaluationWithCairn,
  measureLoadWithCairn,
  measureLookupWithCairn,
} from './cairn-measure.js';
import { findWorkload } from './workloads.js';

const id = process.argv[2];
if (id === undefined) throw new Error('usage: cairn-worker.ts <workload id>');
const workload = findWorkload(id);
const measurement: CairnMeasurement =
  workload.kind === 'evaluate'
    ? measureEvaluationWithCairn(workload)
    : workload.kind === 'load'
      ? measureLoadWithCairn(workload)
      : measureLookupWithCairn(workload);
process.stdout.write(`${JSON.stringify(measurement)}\n`);
