import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CryptoError,
  createKeyRing,
  generateDataKey,
  type KeyRing,
  rewrapKey,
  type SymmetricKey,
  unwrapKey,
  wrapKey,
} from '@cairn/crypto';
import { LogError } from './errors.js';
import { KEY_FILE_NAME } from './format.js';
import { writeFileDurably } from './fs-durable.js';

/*
 * keys.json: the database's data keys, each wrapped by the master key with the database id as
 * wrapping context. Keys are only ever added (data-key rotation) or re-wrapped (master-key
 * rotation), so any older segment or snapshot stays readable.
 */
const KEY_FILE_FORMAT = 'cairn-log-keys';
const KEY_FILE_VERSION = 1;

export interface StoredKeyFile {
  readonly databaseId: string;
  readonly currentKeyId: string;
  readonly keys: readonly { readonly id: string; readonly wrapped: Uint8Array }[];
}

function wrappingContext(databaseId: string): string {
  return `cairn/log/${databaseId}`;
}

export async function readKeyFile(dir: string): Promise<StoredKeyFile | undefined> {
  const file = join(dir, KEY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LogError('LOG_KEY_FILE_INVALID', 'Cannot read the key file', { file, cause: error });
  }
  return parseKeyFile(text, file);
}

export function parseKeyFile(text: string, file: string): StoredKeyFile {
  const invalid = (why: string, cause?: unknown) =>
    new LogError(
      'LOG_KEY_FILE_INVALID',
      `Key file is malformed: ${why}; restore it from a backup (it cannot be rebuilt)`,
      cause === undefined ? { file } : { file, cause },
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid('not JSON', error);
  }
  if (typeof value !== 'object' || value === null) throw invalid('not an object');
  const record = value as Record<string, unknown>;
  if (record.format !== KEY_FILE_FORMAT) throw invalid(`format is not "${KEY_FILE_FORMAT}"`);
  if (record.version !== KEY_FILE_VERSION) {
    throw new LogError(
      'LOG_UNSUPPORTED_VERSION',
      `Key file version ${String(record.version)} is not supported (expected ${KEY_FILE_VERSION})`,
      { file },
    );
  }
  const { databaseId, current, keys } = record;
  if (typeof databaseId !== 'string' || databaseId === '') throw invalid('no databaseId');
  if (typeof current !== 'string') throw invalid('no current key id');
  if (!Array.isArray(keys) || keys.length === 0) throw invalid('no keys');
  const parsed = keys.map((entry: unknown) => {
    const item = entry as Record<string, unknown> | null;
    if (typeof item?.id !== 'string' || typeof item.wrapped !== 'string') {
      throw invalid('a key entry lacks id or wrapped');
    }
    // Node's base64 decoder skips characters it does not know; be strict so any edit shows.
    const wrapped = Buffer.from(item.wrapped, 'base64');
    if (wrapped.toString('base64') !== item.wrapped)
      throw invalid(`key ${item.id} is not canonical base64`);
    return { id: item.id, wrapped: new Uint8Array(wrapped) };
  });
  if (!parsed.some((key) => key.id === current)) throw invalid('current key is not listed');
  return { databaseId, currentKeyId: current, keys: parsed };
}

function serialize(keyFile: StoredKeyFile): Uint8Array {
  const json = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    databaseId: keyFile.databaseId,
    current: keyFile.currentKeyId,
    keys: keyFile.keys.map((key) => ({
      id: key.id,
      wrapped: Buffer.from(key.wrapped).toString('base64'),
    })),
  };
  return Buffer.from(`${JSON.stringify(json, null, 2)}\n`, 'utf8');
}

export async function writeKeyFile(dir: string, keyFile: StoredKeyFile): Promise<void> {
  await writeFileDurably(dir, KEY_FILE_NAME, serialize(keyFile));
}

export async function createKeyFile(
  dir: string,
  databaseId: string,
  master: SymmetricKey,
): Promise<StoredKeyFile> {
  const dataKey = generateDataKey();
  const keyFile: StoredKeyFile = {
    databaseId,
    currentKeyId: dataKey.id,
    keys: [{ id: dataKey.id, wrapped: wrapKey(master, dataKey, wrappingContext(databaseId)) }],
  };
  await writeKeyFile(dir, keyFile);
  return keyFile;
}

/** Unwraps every data key; the ring's primary is the key new segments and snapshots use. */
export function unlockDataKeys(keyFile: StoredKeyFile, masterKeys: KeyRing, file: string): KeyRing {
  const unwrapped = keyFile.keys.map((key) => {
    try {
      const dataKey = unwrapKey(masterKeys, key.wrapped, wrappingContext(keyFile.databaseId));
      if (dataKey.id !== key.id) throw new Error(`wrapped key ${dataKey.id} listed as ${key.id}`);
      return dataKey;
    } catch (error) {
      throw translateUnwrapError(error, file);
    }
  });
  const primary = unwrapped.find((key) => key.id === keyFile.currentKeyId);
  if (primary === undefined) throw new LogError('LOG_KEY_FILE_INVALID', 'No current key', { file });
  return createKeyRing(
    primary,
    unwrapped.filter((key) => key !== primary),
  );
}

function translateUnwrapError(error: unknown, file: string): LogError {
  if (error instanceof CryptoError && error.code === 'UNKNOWN_KEY_ID') {
    return new LogError(
      'LOG_WRONG_KEY',
      'The data keys are wrapped by a master key that was not given; pass the master key this database was created or last re-wrapped with',
      { file, cause: error },
    );
  }
  return new LogError(
    'LOG_KEY_FILE_INVALID',
    'A data key cannot be unwrapped: the key file was altered or belongs to another database',
    { file, cause: error },
  );
}

export function addDataKey(
  keyFile: StoredKeyFile,
  master: SymmetricKey,
): { keyFile: StoredKeyFile; dataKey: SymmetricKey } {
  const dataKey = generateDataKey();
  const wrapped = wrapKey(master, dataKey, wrappingContext(keyFile.databaseId));
  return {
    dataKey,
    keyFile: {
      ...keyFile,
      currentKeyId: dataKey.id,
      keys: [...keyFile.keys, { id: dataKey.id, wrapped }],
    },
  };
}

export function rewrapDataKeys(
  keyFile: StoredKeyFile,
  oldMasterKeys: KeyRing,
  newMaster: SymmetricKey,
  file: string,
): StoredKeyFile {
  const context = wrappingContext(keyFile.databaseId);
  return {
    ...keyFile,
    keys: keyFile.keys.map((key) => {
      try {
        return { id: key.id, wrapped: rewrapKey(oldMasterKeys, newMaster, key.wrapped, context) };
      } catch (error) {
        throw translateUnwrapError(error, file);
      }
    }),
  };
}
