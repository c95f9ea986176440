// Everything exported here is public API of @cairn/policy.
export { decide } from './decide.js';
export { KNOWLEDGE_NEEDS, type KnowledgeAction } from './knowledge.js';
export { highestRole, isRoleAtMost, lowerRole, ROLE_PERMISSIONS } from './roles.js';
export {
  ACCOUNT_FIELDS,
  ACTIONS,
  type AccountField,
  type Action,
  type Decision,
  type Grant,
  type GrantSubject,
  type Membership,
  PERMISSIONS,
  type Permission,
  type Principal,
  type Resource,
  ROLES,
  type Role,
  type UserIdentity,
} from './types.js';
