import { pgEnum, timestamp } from 'drizzle-orm/pg-core';

/** Every timestamp is `timestamptz`: instants, never wall-clock times of an unknown zone. */
export function instant(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

export function createdAt() {
  return instant('created_at').notNull().defaultNow();
}

export const roleEnum = pgEnum('role', ['reader', 'writer', 'admin']);
export type Role = (typeof roleEnum.enumValues)[number];

export const permissionEnum = pgEnum('permission', ['read', 'write', 'delete', 'share']);
export type Permission = (typeof permissionEnum.enumValues)[number];
