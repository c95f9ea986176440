import type { Authorize } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import type { DatabaseRegistry } from '../databases/registry.js';
import type { Identity } from '../identity/identity.js';
import type { KnowledgeSettings } from '../knowledge/settings.js';

/** What every resolver receives: who is asking, how to check them, and the open databases. */
export interface RequestContext {
  readonly principal: Principal;
  /** Asks @cairn/policy; throws FORBIDDEN on a denial. */
  readonly authorize: Authorize;
  readonly registry: DatabaseRegistry;
  /** ALLOW_RAW_QUERY and server-side import settings. */
  readonly knowledge: KnowledgeSettings;
  /** Managed mode (AUTH_ENABLED=true) only: users, sessions, keys, audit. */
  readonly identity: Identity | undefined;
  readonly version: string;
  readonly startedAt: number;
  readonly clientAddress: string | undefined;
  readonly requestId: string | undefined;
}
