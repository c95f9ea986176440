import { constantTimeEqual } from '@cairn/crypto';
import type { Principal as AccessPrincipal } from '@cairn/policy';
import type { AuthSettings } from '../config.js';
import { CairnError } from '../errors.js';

export interface Principal {
  /** Stable id for provenance and audit: a user id, a key id, "local", … */
  readonly id: string;
  readonly name: string;
  readonly kind: AccessPrincipal['kind'] | 'anonymous';
  /** The principal's own tenant; null means "default" unless a request names one. */
  readonly tenant: string | null;
  /**
   * What @cairn/policy decides on; null for the anonymous caller of managed mode, who may only
   * reach the operations that create credentials (login, refreshSession, logout, bootstrap).
   */
  readonly access: AccessPrincipal | null;
}

export type PrincipalResolution =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: CairnError };

/** What the authentication plugin knows of the request beyond its headers. */
export interface RequestFacts {
  readonly clientAddress: string;
  readonly requestId: string | undefined;
}

/**
 * The one seam between a request and who it acts as. Each auth mode is one implementation;
 * managed mode looks credentials up in the SQL store, hence the promise.
 */
export type ResolvePrincipal = (
  request: Request,
  facts: RequestFacts,
) => PrincipalResolution | Promise<PrincipalResolution>;

export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  id: 'local',
  name: 'local user (authentication disabled)',
  kind: 'local',
  tenant: null,
  access: Object.freeze({ kind: 'local' }),
});

export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  id: 'anonymous',
  name: 'anonymous caller',
  kind: 'anonymous',
  tenant: null,
  access: null,
});

const SHARED_KEY_PRINCIPAL: Principal = Object.freeze({
  id: 'shared-api-key',
  name: 'holder of the shared API key',
  kind: 'shared-api-key',
  tenant: null,
  access: Object.freeze({ kind: 'shared-api-key' }),
});

export function createPrincipalResolver(auth: AuthSettings): ResolvePrincipal {
  if (auth.mode === 'disabled') return () => ({ ok: true, principal: LOCAL_PRINCIPAL });
  if (auth.mode === 'managed') {
    // Managed mode needs the SQL store and the token service: see createManagedResolver.
    throw new Error('managed mode resolves principals with createManagedResolver');
  }
  const expected = auth.apiKey;
  return (request) => {
    const presented = readPresentedCredential(request.headers);
    if (presented === undefined) {
      return {
        ok: false,
        error: new CairnError(
          'UNAUTHENTICATED',
          'authentication required: send the API key in X-API-Key or Authorization: Bearer',
        ),
      };
    }
    if (!constantTimeEqual(presented, expected)) {
      return { ok: false, error: new CairnError('UNAUTHENTICATED', 'the API key is not valid') };
    }
    return { ok: true, principal: SHARED_KEY_PRINCIPAL };
  };
}

/** The credential in `X-API-Key`, or else in `Authorization: Bearer …`. */
export function readPresentedCredential(headers: Headers): string | undefined {
  const header = headers.get('x-api-key');
  if (header !== null && header !== '') return header;
  const authorization = headers.get('authorization');
  const match = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
