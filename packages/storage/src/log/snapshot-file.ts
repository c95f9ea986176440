import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CryptoError,
  createDecryptStream,
  createEncryptStream,
  type KeyRing,
  type SymmetricKey,
} from '@cairn/crypto';
import { LogError } from './errors.js';
import {
  decodeSnapshotHeader,
  encodeSnapshotHeader,
  isHeaderProblem,
  SNAPSHOT_HEADER_SIZE,
  snapshotAssociatedData,
  snapshotFileName,
  TEMP_SUFFIX,
} from './format.js';
import { fsyncDirectory } from './fs-durable.js';
import type { SnapshotState } from './operation-log.js';

/** Streams `state` through chunked encryption into a temp file, then renames it into place. */
export async function writeSnapshotFile(
  dir: string,
  databaseIdHash: Uint8Array,
  dataKey: SymmetricKey,
  sequence: number,
  state: SnapshotState,
): Promise<string> {
  const name = snapshotFileName(sequence);
  const temp = join(dir, `${name}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.write(encodeSnapshotHeader({ sequence, databaseIdHash }));
    const source = state instanceof Readable ? state : Readable.from(state, { objectMode: false });
    await pipeline(
      source,
      createEncryptStream(dataKey, {
        associatedData: snapshotAssociatedData(databaseIdHash, sequence),
      }),
      async (encrypted: AsyncIterable<Buffer>) => {
        let position = SNAPSHOT_HEADER_SIZE;
        for await (const chunk of encrypted) {
          await handle.write(chunk, 0, chunk.length, position);
          position += chunk.length;
        }
      },
    );
    await handle.sync();
  } catch (error) {
    // A failed snapshot (often a full disk) must not keep holding the space it took.
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, join(dir, name));
  await fsyncDirectory(dir);
  return name;
}

export interface SnapshotExpectation {
  readonly file: string;
  readonly sequence: number;
  readonly databaseIdHash: Uint8Array;
  readonly dataKeys: KeyRing;
}

/** Plaintext of a snapshot; errors with a LogError (file and offset) when it is damaged. */
export function openSnapshotFile(expected: SnapshotExpectation): Readable {
  const output = new PassThrough();
  void streamSnapshot(expected, output).catch((error: unknown) =>
    output.destroy(toLogError(error, expected.file)),
  );
  return output;
}

/** Reads the whole snapshot through authentication, discarding the plaintext. */
export async function checkSnapshotFile(expected: SnapshotExpectation): Promise<number> {
  let bytes = 0;
  await pipeline(
    openSnapshotFile(expected),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return bytes;
}

/** Checks the snapshot's own header (cheap); the chunks are authenticated as they are read. */
export async function checkSnapshotHeader(
  expected: Pick<SnapshotExpectation, 'file' | 'sequence' | 'databaseIdHash'>,
): Promise<void> {
  const { file } = expected;
  const handle = await open(file, 'r');
  let headerBytes: Buffer;
  try {
    headerBytes = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
    const { bytesRead } = await handle.read(headerBytes, 0, SNAPSHOT_HEADER_SIZE, 0);
    headerBytes = headerBytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const header = decodeSnapshotHeader(headerBytes);
  if (isHeaderProblem(header)) {
    if (header.kind === 'version') {
      throw new LogError(
        'LOG_UNSUPPORTED_VERSION',
        `Snapshot format version ${header.version} is not supported`,
        {
          file,
          offset: 8,
        },
      );
    }
    throw new LogError('SNAPSHOT_CORRUPT', `Snapshot header is damaged (${header.kind})`, {
      file,
      offset: 0,
    });
  }
  if (Buffer.compare(header.databaseIdHash, expected.databaseIdHash) !== 0) {
    throw new LogError('LOG_FOREIGN_FILE', 'Snapshot belongs to another database', {
      file,
      offset: 24,
    });
  }
  if (header.sequence !== expected.sequence) {
    throw new LogError(
      'LOG_FOREIGN_FILE',
      `Snapshot header says sequence ${header.sequence} but the file name says ${expected.sequence}`,
      { file, offset: 16 },
    );
  }
}

async function streamSnapshot(expected: SnapshotExpectation, output: PassThrough): Promise<void> {
  const { file } = expected;
  await checkSnapshotHeader(expected);
  let consumed = SNAPSHOT_HEADER_SIZE;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      consumed += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      createReadStream(file, { start: SNAPSHOT_HEADER_SIZE }),
      counter,
      createDecryptStream(expected.dataKeys, {
        associatedData: snapshotAssociatedData(expected.databaseIdHash, expected.sequence),
      }),
      forwardTo(output),
    );
    output.end();
  } catch (error) {
    throw toLogError(error, file, consumed);
  }
}

/** Feeds `output` with backpressure without letting the pipeline destroy it with a raw error. */
function forwardTo(output: PassThrough): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (output.destroyed) {
        callback(new Error('snapshot reader was closed'));
        return;
      }
      if (output.write(chunk)) {
        callback();
        return;
      }
      const onDrain = () => {
        output.off('close', onClose);
        callback();
      };
      const onClose = () => {
        output.off('drain', onDrain);
        callback(new Error('snapshot reader was closed'));
      };
      output.once('drain', onDrain);
      output.once('close', onClose);
    },
  });
}

function toLogError(error: unknown, file: string, offset?: number): LogError {
  if (error instanceof LogError) return error;
  const where = offset === undefined ? { file } : { file, offset };
  if (error instanceof CryptoError) {
    switch (error.code) {
      case 'TRUNCATED':
        return new LogError('SNAPSHOT_TRUNCATED', 'Snapshot ends before its final chunk', {
          ...where,
          cause: error,
        });
      case 'UNKNOWN_KEY_ID':
        return new LogError(
          'LOG_UNKNOWN_DATA_KEY',
          'Snapshot is sealed with a data key that is not in the key file',
          {
            ...where,
            cause: error,
          },
        );
      default:
        return new LogError(
          'SNAPSHOT_CORRUPT',
          `Snapshot fails authentication (${error.code}); the damage is in the chunk ending at or before the offset`,
          { ...where, cause: error },
        );
    }
  }
  return new LogError('SNAPSHOT_CORRUPT', 'Snapshot cannot be read', { ...where, cause: error });
}
