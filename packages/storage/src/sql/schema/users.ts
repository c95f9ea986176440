import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    isActive: boolean('is_active').notNull().default(false),
    isSuperuser: boolean('is_superuser').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    passwordChangedAt: instant('password_changed_at').notNull().defaultNow(),
    // Tokens issued before this instant are dead: deactivation and password change end every
    // session at once without having to find each token.
    sessionsValidAfter: instant('sessions_valid_after').notNull().defaultNow(),
  },
  (table) => [
    // "Alice" and "alice" are one account: login is case-insensitive, so uniqueness must be too.
    uniqueIndex('users_username_lower_key').on(sql`lower(${table.username})`),
    index('users_email_lower_idx').on(sql`lower(${table.email})`),
  ],
);
