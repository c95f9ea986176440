import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, permissionEnum, roleEnum } from './columns.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const databases = pgTable(
  'databases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The database's data key, wrapped (encrypted) by the master key identified by kek_id. */
    wrappedDataKey: text('wrapped_data_key').notNull(),
    kekId: text('kek_id').notNull(),
    createdAt: createdAt(),
    deletedAt: instant('deleted_at'),
  },
  // A deleted database keeps its row for the audit trail; its name becomes free again.
  (table) => [
    uniqueIndex('databases_live_name_key').on(table.name).where(sql`${table.deletedAt} is null`),
  ],
);

export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    databaseId: uuid('database_id')
      .notNull()
      .references(() => databases.id, { onDelete: 'cascade' }),
    permission: permissionEnum('permission').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role'),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [
    check(
      'grants_exactly_one_target',
      sql`num_nonnulls(${table.userId}, ${table.role}, ${table.tenantId}) = 1`,
    ),
    unique('grants_target_key')
      .on(table.databaseId, table.permission, table.userId, table.role, table.tenantId)
      .nullsNotDistinct(),
    index('grants_user_idx').on(table.userId),
    index('grants_tenant_idx').on(table.tenantId),
  ],
);
