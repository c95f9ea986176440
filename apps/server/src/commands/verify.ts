import { type VerifyReport, verifyDatabaseLog } from '@cairn/storage';
import {
  assertDataDir,
  type DataDirSettings,
  listDatabaseDirs,
  resolveMasterKeys,
} from './data-dir.js';
import { type Progress, silentProgress } from './progress.js';

export interface VerifyOutcome {
  /** False when any database has a problem of severity `error`. */
  readonly ok: boolean;
  readonly reports: readonly VerifyReport[];
  /** The human report, one line per database plus one per problem. */
  readonly lines: readonly string[];
}

function summarize(report: VerifyReport, id: string): string[] {
  const segments = report.files.filter((file) => file.kind === 'segment');
  const records = segments.reduce((sum, file) => sum + (file.records ?? 0), 0);
  const operations = segments.reduce((sum, file) => sum + (file.operations ?? 0), 0);
  const snapshot =
    report.snapshotSequence === undefined
      ? 'no snapshot'
      : `snapshot at ${report.snapshotSequence}`;
  const lines = [
    `${report.ok ? 'ok  ' : 'FAIL'} ${id}: ${segments.length} segment(s), ${operations} operation(s) in ${records} record(s), ${snapshot}, last sequence ${report.lastSequence}`,
  ];
  for (const file of report.files) {
    for (const problem of file.problems) {
      const where =
        problem.offset === undefined ? file.name : `${file.name} at byte ${problem.offset}`;
      lines.push(
        `  ${problem.severity === 'error' ? 'error' : 'warn '} ${where}: ${problem.code}: ${problem.message}`,
      );
    }
  }
  return lines;
}

/**
 * Offline check of every database under DATA_DIR: each key file unwraps with the master key,
 * every snapshot and WAL record authenticates, sequences are continuous. Reads only.
 */
export async function verifyDataDir(
  settings: DataDirSettings,
  progress: Progress = silentProgress,
): Promise<VerifyOutcome> {
  await assertDataDir(settings.dataDir);
  const { keys } = await resolveMasterKeys(settings);
  const databases = await listDatabaseDirs(settings.dataDir);
  const reports: VerifyReport[] = [];
  const lines: string[] = [];
  for (const [index, database] of databases.entries()) {
    progress.step(index + 1, databases.length, `verifying ${database.id}`);
    const report = await verifyDatabaseLog(database.dir, keys, database.id);
    reports.push(report);
    lines.push(...summarize(report, database.id));
  }
  progress.done();
  const failed = reports.filter((report) => !report.ok).length;
  lines.push(
    databases.length === 0
      ? `no databases under ${settings.dataDir}/databases: nothing to verify`
      : failed === 0
        ? `all ${databases.length} database(s) verified`
        : `${failed} of ${databases.length} database(s) failed verification: restore them from a backup (cairn restore) or check ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS`,
  );
  return { ok: failed === 0, reports, lines };
}
