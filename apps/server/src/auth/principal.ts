import { constantTimeEqual } from '@cairn/crypto';
import type { AuthSettings } from '../config.js';
import { CairnError } from '../errors.js';

export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly kind: 'local' | 'shared-api-key';
  /** The principal's own tenant; null means "default" unless a request names one. */
  readonly tenant: string | null;
}

export type PrincipalResolution =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: CairnError };

/**
 * The one seam between a request and who it acts as. Managed mode (users, JWTs, API keys)
 * will be another implementation of this function type.
 */
export type ResolvePrincipal = (request: Request) => PrincipalResolution;

export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  id: 'local',
  name: 'local user (authentication disabled)',
  kind: 'local',
  tenant: null,
});

const SHARED_KEY_PRINCIPAL: Principal = Object.freeze({
  id: 'shared-api-key',
  name: 'holder of the shared API key',
  kind: 'shared-api-key',
  tenant: null,
});

export function createPrincipalResolver(auth: AuthSettings): ResolvePrincipal {
  if (auth.mode === 'disabled') return () => ({ ok: true, principal: LOCAL_PRINCIPAL });
  const expected = auth.apiKey;
  return (request) => {
    const presented = readPresentedKey(request.headers);
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

function readPresentedKey(headers: Headers): string | undefined {
  const header = headers.get('x-api-key');
  if (header !== null && header !== '') return header;
  const authorization = headers.get('authorization');
  const match = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
