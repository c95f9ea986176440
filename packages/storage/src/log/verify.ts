import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyRing } from '@cairn/crypto';
import { LogError, type LogErrorCode } from './errors.js';
import {
  hashDatabaseId,
  KEY_FILE_NAME,
  parseSegmentFileName,
  parseSnapshotFileName,
} from './format.js';
import { listDirectory } from './fs-durable.js';
import { readKeyFile, unlockDataKeys } from './key-file.js';
import { LOCK_FILE_NAME } from './lock-file.js';
import { aeadRecordCipher, openRecordOperations } from './record-cipher.js';
import { scanSegment } from './segment-scan.js';
import { checkSnapshotFile } from './snapshot-file.js';

export interface VerifyProblem {
  readonly code: LogErrorCode | 'LOG_TAIL_TORN' | 'UNEXPECTED_FILE';
  /** `warning`: recovery handles it on its own (a torn tail is cut off, a temp file removed). */
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly offset?: number;
}

export interface VerifiedFile {
  readonly name: string;
  readonly kind: 'keys' | 'segment' | 'snapshot' | 'other';
  readonly bytes: number;
  /** Segments: records (one per group commit, or part of one) that passed every check. */
  readonly records?: number;
  /** Segments: operations in those records. */
  readonly operations?: number;
  readonly firstSequence?: number;
  readonly lastSequence?: number;
  readonly problems: VerifyProblem[];
}

export interface VerifyReport {
  /** True when no file has a problem of severity `error`. */
  readonly ok: boolean;
  readonly dir: string;
  readonly databaseId: string | undefined;
  readonly snapshotSequence: number | undefined;
  /** Last sequence reachable from the newest good snapshot through the segments. */
  readonly lastSequence: number;
  readonly files: VerifiedFile[];
}

function problemOf(error: unknown): VerifyProblem {
  if (error instanceof LogError) {
    const message = error.message;
    return error.offset === undefined
      ? { code: error.code, severity: 'error', message }
      : { code: error.code, severity: 'error', message, offset: error.offset };
  }
  return { code: 'LOG_CORRUPT', severity: 'error', message: String(error) };
}

/**
 * Checks every file of a database log offline: the key file unwraps, every snapshot and every
 * record authenticates, sequences are continuous. Never modifies anything. Problems are values.
 */
export async function verifyDatabaseLog(
  dir: string,
  masterKeys: KeyRing,
  databaseId?: string,
): Promise<VerifyReport> {
  const names = await listDirectory(dir);
  const files: VerifiedFile[] = [];
  const keyProblems: VerifyProblem[] = [];
  const keyFilePath = join(dir, KEY_FILE_NAME);
  let dataKeys: KeyRing | undefined;
  let id = databaseId;
  try {
    const keyFile = await readKeyFile(dir);
    if (keyFile === undefined) {
      keyProblems.push({
        code: 'LOG_KEY_FILE_INVALID',
        severity: 'error',
        message: 'keys.json is missing',
      });
    } else if (databaseId !== undefined && keyFile.databaseId !== databaseId) {
      keyProblems.push({
        code: 'LOG_FOREIGN_FILE',
        severity: 'error',
        message: `keys.json belongs to database "${keyFile.databaseId}", not "${databaseId}"`,
      });
    } else {
      id = keyFile.databaseId;
      dataKeys = unlockDataKeys(keyFile, masterKeys, keyFilePath);
    }
  } catch (error) {
    keyProblems.push(problemOf(error));
  }
  if (names.includes(KEY_FILE_NAME) || keyProblems.length > 0) {
    const bytes = names.includes(KEY_FILE_NAME) ? (await stat(keyFilePath)).size : 0;
    files.push({ name: KEY_FILE_NAME, kind: 'keys', bytes, problems: keyProblems });
  }
  const hash = id === undefined ? undefined : hashDatabaseId(id);

  let snapshotSequence: number | undefined;
  for (const name of names.filter((n) => parseSnapshotFileName(n) !== undefined)) {
    const sequence = parseSnapshotFileName(name) as number;
    const file = join(dir, name);
    const problems: VerifyProblem[] = [];
    if (hash === undefined || dataKeys === undefined) {
      problems.push({
        code: 'LOG_WRONG_KEY',
        severity: 'error',
        message: 'Not checked: no usable data keys',
      });
    } else {
      try {
        await checkSnapshotFile({ file, sequence, databaseIdHash: hash, dataKeys });
        snapshotSequence = Math.max(snapshotSequence ?? 0, sequence);
      } catch (error) {
        problems.push(problemOf(error));
      }
    }
    files.push({
      name,
      kind: 'snapshot',
      bytes: (await stat(file)).size,
      lastSequence: sequence,
      problems,
    });
  }

  const segmentNames = names.filter((n) => parseSegmentFileName(n) !== undefined);
  let expectedSegment: number | undefined;
  let expectedSequence: number | undefined;
  let lastSequence = snapshotSequence ?? 0;
  for (const [index, name] of segmentNames.entries()) {
    const segment = parseSegmentFileName(name) as number;
    const file = join(dir, name);
    const bytes = await readFile(file);
    const problems: VerifyProblem[] = [];
    let records = 0;
    let operations = 0;
    let first: number | undefined;
    let last: number | undefined;
    if (expectedSegment !== undefined && segment !== expectedSegment) {
      problems.push({
        code: 'LOG_MISSING_SEGMENT',
        severity: 'error',
        message: `Segment ${expectedSegment} is missing before this one`,
        offset: 0,
      });
      expectedSequence = undefined;
    }
    if (hash === undefined || dataKeys === undefined) {
      problems.push({
        code: 'LOG_WRONG_KEY',
        severity: 'error',
        message: 'Not checked: no usable data keys',
      });
    } else {
      const scan = scanSegment(bytes, {
        file,
        segment,
        databaseIdHash: hash,
        firstSequence: expectedSequence,
        isNewest: index === segmentNames.length - 1,
      });
      try {
        let step = scan.next();
        while (step.done !== true) {
          const frame = step.value;
          openRecordOperations(aeadRecordCipher, dataKeys, hash, frame);
          first ??= frame.sequence;
          last = frame.sequence + frame.count - 1;
          records += 1;
          operations += frame.count;
          step = scan.next();
        }
        const end = step.value;
        if (index === 0 && end.header.firstSequence > (snapshotSequence ?? 0) + 1) {
          problems.push({
            code: 'LOG_MISSING_SEGMENT',
            severity: 'error',
            message: `The log starts at sequence ${end.header.firstSequence} but nothing covers the operations before it`,
            offset: 24,
          });
        }
        if (end.tornTail !== undefined) {
          problems.push({
            code: 'LOG_TAIL_TORN',
            severity: 'warning',
            message: `${end.tornTail.bytes} bytes of an incomplete record at the tail; opening the log cuts them off`,
            offset: end.tornTail.offset,
          });
        }
        expectedSequence = end.lastSequence + 1;
        lastSequence = Math.max(lastSequence, end.lastSequence);
      } catch (error) {
        problems.push(problemOf(error));
        expectedSequence = undefined;
      }
    }
    expectedSegment = segment + 1;
    files.push({
      name,
      kind: 'segment',
      bytes: bytes.length,
      records,
      operations,
      ...(first === undefined ? {} : { firstSequence: first }),
      ...(last === undefined ? {} : { lastSequence: last }),
      problems,
    });
  }

  for (const name of names) {
    if (
      name === LOCK_FILE_NAME ||
      name === KEY_FILE_NAME ||
      parseSegmentFileName(name) !== undefined ||
      parseSnapshotFileName(name) !== undefined
    )
      continue;
    files.push({
      name,
      kind: 'other',
      bytes: (await stat(join(dir, name))).size,
      problems: [
        {
          code: 'UNEXPECTED_FILE',
          severity: 'warning',
          message: 'Not a file of the operation log',
        },
      ],
    });
  }
  const ok = files.every((f) => f.problems.every((p) => p.severity !== 'error'));
  return { ok, dir, databaseId: id, snapshotSequence, lastSequence, files };
}
