import { generateApiKey } from '@cairn/crypto';
import type { Role } from '@cairn/policy';
import type { ApiKeyRow, SqlRepositories } from '@cairn/storage';
import { parseDatabaseName, parseTenantName } from '../../databases/names.js';
import { CairnError } from '../../errors.js';
import type { ApiKeyHasher } from './api-key-hasher.js';

export interface ApiKeyRequest {
  readonly name: string;
  readonly role: Role;
  readonly description?: string | null | undefined;
  readonly databases?: readonly string[] | null | undefined;
  readonly tenants?: readonly string[] | null | undefined;
  readonly expiresAt?: Date | null | undefined;
}

/** A validated request: scopes deduplicated, null meaning unscoped. */
export interface ParsedApiKeyRequest {
  readonly name: string;
  readonly role: Role;
  readonly description: string | null;
  readonly databases: string[] | null;
  readonly tenants: string[] | null;
  readonly expiresAt: Date | null;
}

/** The raw key appears here, once: it is neither stored nor logged. */
export interface IssuedApiKey {
  readonly apiKey: string;
  readonly key: ApiKeyRow;
}

/** The longest a rotated-out secret may keep working. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;

export function parseApiKeyRequest(input: ApiKeyRequest, now = Date.now()): ParsedApiKeyRequest {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100 || /\p{Cc}/u.test(name)) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'name must be 1–100 printable characters, e.g. "ci-deploy"',
      { argument: 'input.name' },
    );
  }
  const description = input.description?.trim() || null;
  if (description !== null && description.length > 500) {
    throw new CairnError('BAD_USER_INPUT', 'description must be at most 500 characters', {
      argument: 'input.description',
    });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && expiresAt.getTime() <= now) {
    throw new CairnError('BAD_USER_INPUT', 'expiresAt must be in the future', {
      argument: 'input.expiresAt',
    });
  }
  return {
    name,
    role: input.role,
    description,
    databases: parseScope(input.databases, 'input.databases', parseDatabaseName),
    tenants: parseScope(input.tenants, 'input.tenants', parseTenantName),
    expiresAt,
  };
}

function parseScope(
  values: readonly string[] | null | undefined,
  argument: string,
  parse: (value: string, argument: string) => string,
): string[] | null {
  if (values === null || values === undefined) return null;
  if (values.length === 0 || values.length > 100) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `${argument} must list 1–100 names; leave it out for no restriction`,
      { argument },
    );
  }
  return [...new Set(values.map((value, index) => parse(value, `${argument}[${index}]`)))];
}

export async function issueApiKey(
  sql: Pick<SqlRepositories, 'apiKeys'>,
  hasher: ApiKeyHasher,
  request: ParsedApiKeyRequest,
  ownerUserId: string,
): Promise<IssuedApiKey> {
  const apiKey = generateApiKey();
  const key = await sql.apiKeys.create({
    name: request.name,
    keyHash: hasher.hash(apiKey),
    role: request.role,
    description: request.description,
    databases: request.databases,
    tenants: request.tenants,
    ownerUserId,
    expiresAt: request.expiresAt,
  });
  return { apiKey, key };
}

export function parseGraceSeconds(value: number | null | undefined): number {
  const grace = value ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS) {
    throw new CairnError(
      'BAD_USER_INPUT',
      `graceSeconds must be a whole number from 0 (cut the old secret off now) to ${MAX_ROTATION_GRACE_SECONDS} (30 days)`,
      { argument: 'graceSeconds' },
    );
  }
  return grace;
}

/** A new secret for the key; the old one works for `graceSeconds` more. */
export async function rotateApiKey(
  sql: Pick<SqlRepositories, 'apiKeys'>,
  hasher: ApiKeyHasher,
  keyId: string,
  graceSeconds: number,
  now = Date.now(),
): Promise<IssuedApiKey | undefined> {
  const apiKey = generateApiKey();
  const key = await sql.apiKeys.rotate(keyId, {
    newKeyHash: hasher.hash(apiKey),
    previousValidUntil: graceSeconds > 0 ? new Date(now + graceSeconds * 1000) : null,
  });
  return key === undefined ? undefined : { apiKey, key };
}
