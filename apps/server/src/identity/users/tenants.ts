import { isStorageError, type SqlRepositories, type TenantRow } from '@cairn/storage';

/** The tenant of that name, created on first use (a concurrent creator wins harmlessly). */
export async function ensureTenant(
  sql: Pick<SqlRepositories, 'tenants'>,
  name: string,
): Promise<TenantRow> {
  const existing = await sql.tenants.findByName(name);
  if (existing !== undefined) return existing;
  try {
    return await sql.tenants.create(name);
  } catch (error) {
    if (!isStorageError(error) || error.code !== 'CONFLICT') throw error;
    const created = await sql.tenants.findByName(name);
    if (created === undefined) throw error;
    return created;
  }
}
