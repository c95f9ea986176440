export { apiKeys } from './api-keys.js';
export { auditEvents } from './audit-events.js';
export { type Permission, permissionEnum, type Role, roleEnum } from './columns.js';
export { databases, grants } from './databases.js';
export { refreshTokens } from './refresh-tokens.js';
export { secrets } from './secrets.js';
export { signingKeys } from './signing-keys.js';
export { memberships, tenants } from './tenants.js';
export { users } from './users.js';
