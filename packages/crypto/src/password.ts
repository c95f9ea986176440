import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { CryptoError } from './errors.js';

export interface PasswordHashParameters {
  /** KiB of memory. */
  readonly memoryCost: number;
  /** Passes over memory. */
  readonly timeCost: number;
  /** Lanes. */
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet, argon2id option 1 (m=19 MiB, t=2, p=1). */
export const DEFAULT_PASSWORD_PARAMETERS: PasswordHashParameters = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** Longer passwords are refused: hashing cost must not be steerable by an attacker. */
export const MAX_PASSWORD_BYTES = 1024;
/* Parameters read from a stored hash are capped too, so a planted hash cannot exhaust memory. */
const MAX_MEMORY_COST = 1_048_576; // 1 GiB
const MAX_TIME_COST = 64;
const MAX_PARALLELISM = 16;
const ARGON2ID = 2 as Algorithm;
const HASH_BYTES = 32;

const PHC_PATTERN =
  /^\$(argon2id|argon2i|argon2d)\$v=(16|19)\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{16,})$/;

interface ParsedPasswordHash extends PasswordHashParameters {
  readonly algorithm: 'argon2id' | 'argon2i' | 'argon2d';
  readonly version: number;
}

/** "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a random 16-byte salt, 32-byte hash. */
export async function hashPassword(
  password: string,
  parameters: PasswordHashParameters = DEFAULT_PASSWORD_PARAMETERS,
): Promise<string> {
  assertPassword(password);
  assertParameters(parameters);
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: parameters.memoryCost,
    timeCost: parameters.timeCost,
    parallelism: parameters.parallelism,
    outputLen: HASH_BYTES,
  });
}

/**
 * True when `password` matches. An empty or over-long password is simply false (no hash could
 * have been made from it). A malformed hash string is an INVALID_PASSWORD_HASH error, because
 * that is a data problem, not a wrong password.
 */
export async function verifyPassword(encodedHash: string, password: string): Promise<boolean> {
  parsePasswordHash(encodedHash);
  if (typeof password !== 'string' || !isAcceptablePassword(password)) return false;
  try {
    return await verify(encodedHash, password);
  } catch (cause) {
    throw new CryptoError('INVALID_PASSWORD_HASH', 'Password hash could not be verified', {
      cause,
    });
  }
}

/** True when the hash is not argon2id v19 or any parameter is below `parameters`. */
export function needsRehash(
  encodedHash: string,
  parameters: PasswordHashParameters = DEFAULT_PASSWORD_PARAMETERS,
): boolean {
  const parsed = parsePasswordHash(encodedHash);
  return (
    parsed.algorithm !== 'argon2id' ||
    parsed.version !== 19 ||
    parsed.memoryCost < parameters.memoryCost ||
    parsed.timeCost < parameters.timeCost ||
    parsed.parallelism < parameters.parallelism
  );
}

export function parsePasswordHash(encodedHash: string): ParsedPasswordHash {
  const match = typeof encodedHash === 'string' ? PHC_PATTERN.exec(encodedHash) : null;
  if (match === null) {
    throw new CryptoError(
      'INVALID_PASSWORD_HASH',
      'Not an argon2 PHC hash string ("$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>")',
    );
  }
  const [, algorithm, version, m, t, p] = match;
  const parsed = {
    algorithm: algorithm as ParsedPasswordHash['algorithm'],
    version: Number(version),
    memoryCost: Number(m),
    timeCost: Number(t),
    parallelism: Number(p),
  };
  if (!parametersInRange(parsed)) {
    throw new CryptoError(
      'INVALID_PASSWORD_HASH',
      `Password hash parameters m=${parsed.memoryCost},t=${parsed.timeCost},p=${parsed.parallelism} are outside the accepted range (m ≤ ${MAX_MEMORY_COST}, t ≤ ${MAX_TIME_COST}, p ≤ ${MAX_PARALLELISM})`,
    );
  }
  return parsed;
}

function isAcceptablePassword(password: string): boolean {
  return password.length > 0 && Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
}

function assertPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0) {
    throw new CryptoError('INVALID_PASSWORD', 'Password must be a non-empty string');
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new CryptoError(
      'INVALID_PASSWORD',
      `Password is longer than ${MAX_PASSWORD_BYTES} bytes (UTF-8); use a shorter passphrase`,
    );
  }
}

function parametersInRange(parameters: PasswordHashParameters): boolean {
  const { memoryCost, timeCost, parallelism } = parameters;
  return (
    Number.isInteger(memoryCost) &&
    Number.isInteger(timeCost) &&
    Number.isInteger(parallelism) &&
    parallelism >= 1 &&
    parallelism <= MAX_PARALLELISM &&
    timeCost >= 1 &&
    timeCost <= MAX_TIME_COST &&
    memoryCost >= 8 * parallelism &&
    memoryCost <= MAX_MEMORY_COST
  );
}

function assertParameters(parameters: PasswordHashParameters): void {
  if (!parametersInRange(parameters)) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `Password hash parameters out of range: parallelism 1..${MAX_PARALLELISM}, timeCost 1..${MAX_TIME_COST}, memoryCost 8·parallelism..${MAX_MEMORY_COST} KiB`,
    );
  }
}
