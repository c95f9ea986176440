import type { Actor } from '../knowledge/operations.js';
import type { RequestContext } from './context.js';

export function actorOf(context: RequestContext): Actor {
  return { id: context.principal.id, tenant: context.principal.tenant ?? undefined };
}
