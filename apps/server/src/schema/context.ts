import type { Principal } from '../auth/principal.js';
import type { DatabaseRegistry } from '../databases/registry.js';

/** What every resolver receives: who is asking and the open databases. */
export interface RequestContext {
  readonly principal: Principal;
  readonly registry: DatabaseRegistry;
  readonly version: string;
  readonly startedAt: number;
}
