import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.js';

export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    algorithm: text('algorithm').notNull(),
    publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
    /** Private key sealed with the secret box (context binds the kid). */
    sealedPrivateKey: text('sealed_private_key').notNull(),
    createdAt: createdAt(),
    // Retired keys stop signing but stay published until every token they signed has expired.
    retiredAt: instant('retired_at'),
  },
  (table) => [index('signing_keys_created_idx').on(table.createdAt)],
);
