import { isKeyRing, type KeyRing, openSecret, type SymmetricKey, sealSecret } from '@cairn/crypto';
import { StorageError } from '../errors.js';

/** Seals and opens values with the master key's `secret-box` subkey. */
export interface SecretBox {
  seal(value: string, context: string): string;
  /** `what` names the value in the error, e.g. `secret "smtp" in scope "global"`. */
  open(sealed: string, context: string, what: string): string;
}

export type MasterKey = SymmetricKey | KeyRing;

/**
 * @cairn/crypto's secret box derives the `secret-box` subkey (HKDF) from the master key it is
 * given and records that master's id in the box, so the master is passed here, not a subkey:
 * new values are sealed under the primary, and a key ring still opens values sealed under a
 * previous master during rotation.
 */
export function createSecretBox(masterKey: MasterKey): SecretBox {
  const primary = isKeyRing(masterKey) ? masterKey.primary : masterKey;
  return {
    seal: (value, context) => sealSecret(primary, value, context),
    open: (sealed, context, what) => {
      try {
        return openSecret(masterKey, sealed, context);
      } catch (error) {
        throw new StorageError(
          'SECRET_UNREADABLE',
          `${what} cannot be opened: it was sealed with another master key, altered, or copied from another row. Check ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS.`,
          { cause: error },
        );
      }
    },
  };
}

/** For stores opened without a master key: the first secret operation says what is missing. */
export function missingSecretBox(): SecretBox {
  const fail = (): never => {
    throw new StorageError(
      'MASTER_KEY_MISSING',
      'The SQL store was opened without a master key, so secrets and signing keys cannot be sealed or opened; pass masterKey to openSqlStore (ENCRYPTION_KEY).',
    );
  };
  return { seal: fail, open: fail };
}
