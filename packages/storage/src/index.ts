export { isStorageError, StorageError, type StorageErrorCode } from './errors.js';
export type { BackupManifest, BackupOptions } from './log/backup.js';
export { backupDatabaseLog, readBackupManifest, restoreDatabaseLog } from './log/backup.js';
export { openDatabaseLog } from './log/database-log.js';
export type { LogErrorCode, LogErrorOptions, StorageWarning } from './log/errors.js';
export { isLogError, LogError } from './log/errors.js';
export type {
  DatabaseLog,
  LoggedOperation,
  OpenDatabaseLogOptions,
  OperationLog,
  RecoveredSnapshot,
  Recovery,
  SnapshotState,
  SyncPolicy,
} from './log/operation-log.js';
export type { VerifiedFile, VerifyProblem, VerifyReport } from './log/verify.js';
export { verifyDatabaseLog } from './log/verify.js';
export type { SqlBackend, SqlDatabase, SqlSchema } from './sql/database.js';
export { redactDatabaseUrl } from './sql/database-url.js';
export { type FileSync, kernelFileSync } from './sql/file-sync.js';
export { type OpenSqlStoreOptions, openSqlStore } from './sql/open-sql-store.js';
export type {
  ApiKeyRow,
  ApiKeysRepository,
  CreateApiKeyInput,
  RotateApiKeyInput,
} from './sql/repositories/api-keys.js';
export type {
  AppendAuditEventInput,
  AuditEventPage,
  AuditEventRow,
  AuditEventsRepository,
  AuditOutcome,
  ListAuditEventsInput,
} from './sql/repositories/audit-events.js';
export type { RepositoryContext } from './sql/repositories/context.js';
export type {
  CreateDatabaseInput,
  DatabaseRow,
  DatabasesRepository,
} from './sql/repositories/databases.js';
export type {
  GrantInput,
  GrantRow,
  GrantSubject,
  GrantsRepository,
  GrantTarget,
} from './sql/repositories/grants.js';
export type {
  ConsumeRefreshTokenResult,
  IssueRefreshTokenInput,
  RefreshTokenRow,
  RefreshTokensRepository,
} from './sql/repositories/refresh-tokens.js';
export type { SecretRecord, SecretsRepository } from './sql/repositories/secrets.js';
export type {
  ActiveSigningKey,
  CreateSigningKeyInput,
  SigningKeyRecord,
  SigningKeysRepository,
} from './sql/repositories/signing-keys.js';
export type {
  MembershipRow,
  TenantRow,
  TenantsRepository,
} from './sql/repositories/tenants.js';
export type {
  CreateUserInput,
  UpdateUserInput,
  UserRow,
  UsersRepository,
} from './sql/repositories/users.js';
export type { Permission, Role } from './sql/schema/index.js';
export * as sqlSchema from './sql/schema/index.js';
export type { MasterKey } from './sql/secret-box.js';
export type { SqlRepositories, SqlStore } from './sql/store.js';
