import type { SqlBackend, SqlDatabase } from './database.js';
import { type ApiKeysRepository, createApiKeysRepository } from './repositories/api-keys.js';
import {
  type AuditEventsRepository,
  createAuditEventsRepository,
} from './repositories/audit-events.js';
import type { RepositoryContext } from './repositories/context.js';
import { createDatabasesRepository, type DatabasesRepository } from './repositories/databases.js';
import { createGrantsRepository, type GrantsRepository } from './repositories/grants.js';
import {
  createRefreshTokensRepository,
  type RefreshTokensRepository,
} from './repositories/refresh-tokens.js';
import { createSecretsRepository, type SecretsRepository } from './repositories/secrets.js';
import {
  createSigningKeysRepository,
  type SigningKeysRepository,
} from './repositories/signing-keys.js';
import { createTenantsRepository, type TenantsRepository } from './repositories/tenants.js';
import { createUsersRepository, type UsersRepository } from './repositories/users.js';
import type { SecretBox } from './secret-box.js';

export interface SqlRepositories {
  /** The drizzle handle under these repositories (the store's, or the transaction's). */
  readonly db: SqlDatabase;
  readonly users: UsersRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly refreshTokens: RefreshTokensRepository;
  readonly tenants: TenantsRepository;
  readonly databases: DatabasesRepository;
  readonly grants: GrantsRepository;
  readonly auditEvents: AuditEventsRepository;
  readonly secrets: SecretsRepository;
  readonly signingKeys: SigningKeysRepository;
}

export interface SqlStore extends SqlRepositories {
  readonly backend: SqlBackend;
  /** Runs `fn` in one transaction; security-relevant writes inside are flushed at commit. */
  transaction<T>(fn: (tx: SqlRepositories) => Promise<T>): Promise<T>;
  /** Like transaction, and the commit is flushed to stable storage before it resolves. */
  durably<T>(fn: (tx: SqlRepositories) => Promise<T>): Promise<T>;
  /** Readiness: resolves when the database answers, throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createRepositories(
  context: RepositoryContext,
  secretBox: () => SecretBox,
): SqlRepositories {
  return {
    db: context.db,
    users: createUsersRepository(context),
    apiKeys: createApiKeysRepository(context),
    refreshTokens: createRefreshTokensRepository(context),
    tenants: createTenantsRepository(context),
    databases: createDatabasesRepository(context),
    grants: createGrantsRepository(context),
    auditEvents: createAuditEventsRepository(context),
    secrets: createSecretsRepository(context, secretBox),
    signingKeys: createSigningKeysRepository(context, secretBox),
  };
}
