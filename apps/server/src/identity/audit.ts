import type { AuditOutcome } from '@cairn/storage';

export interface AuditEntry {
  readonly action: string;
  readonly outcome: AuditOutcome;
  /** Principal id (user id, `key:<id>`, `external:<sub>`), or null for an anonymous caller. */
  readonly actor: string | null;
  readonly target?: string | null;
  readonly clientIp?: string | null;
  readonly requestId?: string | null;
  /** Identifiers and context only (tenant, database, role, reason): never secrets. */
  readonly details?: Record<string, unknown>;
}

/**
 * Records audit events. Never throws into the request: a failed write is logged and counted,
 * because refusing service because the audit table hiccupped would be worse.
 */
export interface AuditRecorder {
  record(entry: AuditEntry): void;
  /** Resolves when every event recorded so far is written (tests, shutdown). */
  flush(): Promise<void>;
}

/** Who made a change and from where, as every audited operation records it. */
export interface AuditSource {
  readonly actor: string | null;
  readonly clientIp: string | null;
  readonly requestId: string | null;
}
