import { CairnError } from '../errors.js';

// Names appear in URLs, logs and directory listings: keep them boring.
const DATABASE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;

export const DEFAULT_DATABASE = 'default';

export function parseDatabaseName(value: string, argument = 'database'): string {
  if (!DATABASE_NAME.test(value)) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must be 1–63 characters of lowercase letters, digits, "_" or "-", starting with a letter or digit (got ${JSON.stringify(value.slice(0, 70))})`,
      { argument },
    );
  }
  return value;
}

export function parseTenantName(value: string, argument = 'tenant'): string {
  if (!TENANT_NAME.test(value)) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must be 1–128 characters of letters, digits, "_", ".", "@" or "-", starting with a letter or digit (got ${JSON.stringify(value.slice(0, 70))})`,
      { argument },
    );
  }
  return value;
}
