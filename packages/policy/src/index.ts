// Everything exported here is public API of @cairn/policy.
export { decide } from './decide.js';
export {
  ACTIONS,
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
