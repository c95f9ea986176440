import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { StorageError } from '../../errors.js';
import { auditEvents } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AppendAuditEventInput {
  action: string;
  outcome: AuditOutcome;
  actor?: string | null;
  target?: string | null;
  clientIp?: string | null;
  requestId?: string | null;
  /** Identifiers and context only; never passwords, keys, tokens or secret values. */
  details?: Record<string, unknown> | null;
  at?: Date;
}

export interface ListAuditEventsInput {
  /** Page size, 1–1000 (default 100). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  actor?: string;
  action?: string;
  /** Only events whose details name this tenant (`details.tenant`): a tenant admin's view. */
  tenant?: string;
  since?: Date;
  until?: Date;
}

export interface AuditEventPage {
  events: AuditEventRow[];
  /** Present when older events remain. */
  nextCursor?: string;
}

export interface AuditEventsRepository {
  append(input: AppendAuditEventInput): Promise<AuditEventRow>;
  /** Newest first, keyset-paginated: stable while new events keep arriving. */
  list(input?: ListAuditEventsInput): Promise<AuditEventPage>;
}

const cursorPrefix = 'audit:v1:';

function encodeCursor(id: number): string {
  return Buffer.from(`${cursorPrefix}${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = text.startsWith(cursorPrefix) ? Number(text.slice(cursorPrefix.length)) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new StorageError(
      'INVALID_INPUT',
      'The audit cursor is not one this server issued; pass nextCursor from a previous page unchanged',
    );
  }
  return id;
}

// Keys under which a careless caller would put a credential. Refusing them keeps the audit
// trail free of secrets even when a call site forgets; identifiers (keyId, tokenId) pass.
const secretLookingKey =
  /^(password|passwd|new_?password|secret|token|access_?token|refresh_?token|api_?key|raw_?key|private_?key|authorization|cookie)$/i;

function findSecretLookingKey(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (secretLookingKey.test(key)) return childPath;
    const found = findSecretLookingKey(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

function pageSize(limit: number | undefined): number {
  const size = limit ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new StorageError('INVALID_INPUT', `The audit page size must be 1–1000; got ${size}`);
  }
  return size;
}

export function createAuditEventsRepository(context: RepositoryContext): AuditEventsRepository {
  const { db } = context;
  return {
    append: async (input) => {
      const secretKey = findSecretLookingKey(input.details, '');
      if (secretKey !== undefined) {
        throw new StorageError(
          'INVALID_INPUT',
          `Audit details must not hold secrets; remove "${secretKey}" (record an id instead)`,
        );
      }
      const [row] = await db
        .insert(auditEvents)
        .values({
          action: input.action,
          outcome: input.outcome,
          actor: input.actor ?? null,
          target: input.target ?? null,
          clientIp: input.clientIp ?? null,
          requestId: input.requestId ?? null,
          details: input.details ?? null,
          ...(input.at === undefined ? {} : { at: input.at }),
        })
        .returning();
      if (row === undefined) throw new Error('insert into audit_events returned no row');
      return row;
    },
    list: async (input = {}) => {
      const size = pageSize(input.limit);
      const rows = await db
        .select()
        .from(auditEvents)
        .where(
          and(
            input.cursor === undefined ? undefined : lt(auditEvents.id, decodeCursor(input.cursor)),
            input.actor === undefined ? undefined : eq(auditEvents.actor, input.actor),
            input.action === undefined ? undefined : eq(auditEvents.action, input.action),
            input.tenant === undefined
              ? undefined
              : sql`${auditEvents.details}->>'tenant' = ${input.tenant}`,
            input.since === undefined ? undefined : gte(auditEvents.at, input.since),
            input.until === undefined ? undefined : lte(auditEvents.at, input.until),
          ),
        )
        .orderBy(desc(auditEvents.id))
        .limit(size + 1);
      const events = rows.slice(0, size);
      const last = events.at(-1);
      return rows.length > size && last !== undefined
        ? { events, nextCursor: encodeCursor(last.id) }
        : { events };
    },
  };
}
