// Starts the Cairn worker for one row in its own Node process with a time budget; a row that
// runs past it is killed and reported as exceeded instead of hanging the bench.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CairnMeasurement } from './cairn-measure.js';

export type WorkerOutcome =
  | { readonly status: 'ok'; readonly measurement: CairnMeasurement }
  | { readonly status: 'exceeded'; readonly budgetMs: number }
  | { readonly status: 'failed'; readonly error: string };

const worker = fileURLToPath(new URL('./cairn-worker.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

export function runCairnWorker(id: string, budgetMs: number): Promise<WorkerOutcome> {
  const args = ['--conditions=@cairn/source', '--expose-gc', '--import', tsx, worker, id];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { timeout: budgetMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error !== null) {
          resolve(
            error.killed
              ? { status: 'exceeded', budgetMs }
              : { status: 'failed', error: `${error.message}\n${stderr}`.slice(0, 2_000) },
          );
          return;
        }
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve({ status: 'ok', measurement: JSON.parse(line) as CairnMeasurement });
        } catch {
          resolve({ status: 'failed', error: `worker printed no JSON: ${stdout.slice(0, 500)}` });
        }
      },
    );
  });
}
