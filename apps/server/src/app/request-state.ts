import type { Principal } from '../auth/principal.js';

/** Per-request facts shared by the plugins, keyed by the request object yoga passes around. */
export interface RequestState {
  readonly id: string;
  readonly startedAt: number;
  route: string;
  principal: Principal | undefined;
  /** Set by the authentication plugin (the peer, or the forwarded address behind a proxy). */
  clientAddress?: string;
}

export type RequestStates = WeakMap<Request, RequestState>;
