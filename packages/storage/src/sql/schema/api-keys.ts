import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, roleEnum } from './columns.js';
import { users } from './users.js';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    /** HMAC of the raw key, hex. The raw key is never stored. */
    keyHash: text('key_hash').notNull().unique('api_keys_key_hash_key'),
    role: roleEnum('role').notNull(),
    /** Database scope; null means every database the role reaches. */
    databases: text('databases').array(),
    /** Tenant scope; null means every tenant. */
    tenants: text('tenants').array(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: instant('expires_at'),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
    // After a rotation the old key keeps working until previous_valid_until, so clients can
    // switch over without an outage.
    previousKeyHash: text('previous_key_hash'),
    previousValidUntil: instant('previous_valid_until'),
  },
  (table) => [
    index('api_keys_owner_idx').on(table.ownerUserId),
    index('api_keys_previous_key_hash_idx').on(table.previousKeyHash),
  ],
);
