import { type AccountBackoff, createAccountBackoff } from './account-backoff.js';
import { login } from './login.js';
import { logout, refreshSession } from './refresh.js';
import { createRefreshTokenSweep } from './refresh-token-sweep.js';
import type { SessionIdentity, SessionService, SessionServiceOptions } from './session-service.js';

/** Login, refresh and logout over managed mode's identity services. */
export function createSessionService({
  identity,
  backoff = createAccountBackoff(),
  now = Date.now,
  sweepEveryMs,
}: SessionServiceOptions): SessionService {
  const dependencies = { identity, backoff, now };
  const sweep = createRefreshTokenSweep({
    refreshTokens: identity.sql.refreshTokens,
    now,
    ...(sweepEveryMs === undefined ? {} : { everyMs: sweepEveryMs }),
  });
  return {
    login: async (username, password, request) => {
      const session = await login(dependencies, username, password, request);
      void sweep.maybeSweep();
      return session;
    },
    refreshSession: (refreshToken, request) => refreshSession(dependencies, refreshToken, request),
    logout: (refreshToken, request) => logout(dependencies, refreshToken, request),
  };
}

// One service per identity, so the per-account backoff outlives a request. Keyed weakly: an
// identity that is dropped (a test, a restart) takes its backoff state with it.
const services = new WeakMap<SessionIdentity, SessionService>();

/** The process's session service for `identity` (created on first use). */
export function sessionsFor(identity: SessionIdentity, backoff?: AccountBackoff): SessionService {
  let service = services.get(identity);
  if (service === undefined) {
    service = createSessionService({ identity, ...(backoff === undefined ? {} : { backoff }) });
    services.set(identity, service);
  }
  return service;
}
