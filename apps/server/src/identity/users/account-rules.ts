import { MAX_PASSWORD_BYTES } from '@cairn/crypto';
import { CairnError } from '../../errors.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** Long enough that guessing online is hopeless while the lockout holds (NIST 800-63B asks ≥ 8). */
export const MIN_PASSWORD_LENGTH = 12;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function parseUsername(value: string, argument = 'username'): string {
  if (!USERNAME.test(value)) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must be 1–64 characters of letters, digits, "_", ".", "@" or "-", starting with a letter or digit`,
      { argument },
    );
  }
  return value;
}

/** Checks length only: composition rules make passwords worse, not better (NIST 800-63B). */
export function parsePassword(value: string, argument = 'password'): string {
  if ([...value].length < MIN_PASSWORD_LENGTH) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must be at least ${MIN_PASSWORD_LENGTH} characters; a passphrase of several words is easiest to remember`,
      { argument },
    );
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must be at most ${MAX_PASSWORD_BYTES} bytes`,
      { argument },
    );
  }
  return value;
}

export function parseEmail(value: string, argument = 'email'): string {
  if (!EMAIL.test(value)) {
    throw new CairnError('BAD_USER_INPUT', `${argument} must be an address like name@example.com`, {
      argument,
    });
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else names nothing, and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
