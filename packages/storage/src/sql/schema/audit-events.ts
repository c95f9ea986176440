import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';

export const auditEvents = pgTable(
  'audit_events',
  {
    // Monotonic id: the keyset for "newest first" pagination, immune to equal timestamps.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: instant('at').notNull().defaultNow(),
    actor: text('actor'),
    action: text('action').notNull(),
    target: text('target'),
    outcome: text('outcome').notNull(),
    clientIp: text('client_ip'),
    requestId: text('request_id'),
    /** Structured context. Never secrets: callers pass identifiers, not credentials. */
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (table) => [
    index('audit_events_actor_idx').on(table.actor, table.id),
    index('audit_events_action_idx').on(table.action, table.id),
  ],
);
