import type { Plugin } from 'graphql-yoga';
import { CairnError, createErrorResponse } from '../../errors.js';

// Content types a browser can send cross-site without a CORS preflight ("simple requests").
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * A POST must carry a content type that forces a CORS preflight (application/json, …), so a
 * foreign page cannot make a browser send one with the user's credentials. GET stays open for
 * queries because mutations over GET are refused (405), so a GET cannot change anything.
 * Hand-written rather than @graphql-yoga/plugin-csrf-prevention, which also demands a custom
 * header on every GET and so breaks plain GraphQL-over-HTTP GET queries.
 */
export function useCsrfPrevention(): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'POST') return;
      const type =
        (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type === '' || SIMPLE_CONTENT_TYPES.has(type)) {
        endResponse(
          createErrorResponse(
            new CairnError(
              'BAD_USER_INPUT',
              'POST requests must use Content-Type: application/json',
            ),
            {},
            415,
          ),
        );
      }
    },
  };
}
