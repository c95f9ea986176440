import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createKeyRing, type KeyRing, parseMasterKey, type SymmetricKey } from '@cairn/crypto';

export interface MasterKeyVariables {
  readonly CAIRN_ENV?: string | undefined;
  readonly ENCRYPTION_KEY?: string | undefined;
  readonly ENCRYPTION_KEY_FILE?: string | undefined;
  readonly ENCRYPTION_KEY_PREVIOUS?: string | undefined;
}

/** The master key ring from ENCRYPTION_KEY or ENCRYPTION_KEY_FILE plus previous keys. */
export function readMasterKeys(
  raw: MasterKeyVariables,
  cwd: string,
  problems: string[],
): KeyRing | undefined {
  if (raw.ENCRYPTION_KEY !== undefined && raw.ENCRYPTION_KEY_FILE !== undefined) {
    problems.push(
      'ENCRYPTION_KEY_FILE: set either ENCRYPTION_KEY or ENCRYPTION_KEY_FILE, not both',
    );
    return undefined;
  }
  let primary: SymmetricKey | undefined;
  if (raw.ENCRYPTION_KEY !== undefined) {
    primary = parseKey('ENCRYPTION_KEY', raw.ENCRYPTION_KEY, problems);
  } else if (raw.ENCRYPTION_KEY_FILE !== undefined) {
    const path = resolve(cwd, raw.ENCRYPTION_KEY_FILE);
    try {
      const mode = statSync(path).mode;
      if ((mode & 0o077) !== 0 && process.platform !== 'win32' && raw.CAIRN_ENV === 'production') {
        problems.push(
          `ENCRYPTION_KEY_FILE: ${path} is readable by group or others; run chmod 600 ${path}`,
        );
      }
      primary = parseKey('ENCRYPTION_KEY_FILE', readFileSync(path, 'utf8').trim(), problems);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      problems.push(
        `ENCRYPTION_KEY_FILE: cannot read ${path} (${code}); point it to a file holding the key from \`cairn keygen\``,
      );
    }
  }
  const previous: SymmetricKey[] = [];
  if (raw.ENCRYPTION_KEY_PREVIOUS !== undefined) {
    raw.ENCRYPTION_KEY_PREVIOUS.split(',').forEach((part, index) => {
      const key = parseKey(`ENCRYPTION_KEY_PREVIOUS (key ${index + 1})`, part.trim(), problems);
      if (key !== undefined) previous.push(key);
    });
    if (
      primary === undefined &&
      raw.ENCRYPTION_KEY === undefined &&
      raw.ENCRYPTION_KEY_FILE === undefined
    ) {
      problems.push(
        'ENCRYPTION_KEY_PREVIOUS: set only together with ENCRYPTION_KEY or ENCRYPTION_KEY_FILE',
      );
    }
  }
  return primary === undefined ? undefined : createKeyRing(primary, previous);
}

function parseKey(name: string, value: string, problems: string[]): SymmetricKey | undefined {
  try {
    return parseMasterKey(value);
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
    return undefined;
  }
}
