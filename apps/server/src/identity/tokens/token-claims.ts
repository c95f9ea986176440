import { ROLES, type Role } from '@cairn/policy';

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

/** The roles claim: an array of known role names, nothing else (unknown roles are refused). */
export function parseRolesClaim(value: unknown): readonly Role[] | string {
  if (!Array.isArray(value)) return 'roles claim must be an array';
  const roles: Role[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || !ROLE_SET.has(item)) {
      return `roles claim holds ${JSON.stringify(item)}; allowed: ${ROLES.join(', ')}`;
    }
    if (!roles.includes(item as Role)) roles.push(item as Role);
  }
  return roles;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
