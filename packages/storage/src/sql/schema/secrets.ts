import { pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.js';

export const secrets = pgTable(
  'secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Who the secret belongs to, e.g. `global` or `database:<id>`. */
    scope: text('scope').notNull(),
    name: text('name').notNull(),
    /** Secret-box output; its context binds scope and name, so it cannot be moved to another row. */
    sealedValue: text('sealed_value').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [unique('secrets_scope_name_key').on(table.scope, table.name)],
);
