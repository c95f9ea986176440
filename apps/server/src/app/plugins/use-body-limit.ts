import type { Plugin } from 'graphql-yoga';
import { CairnError, createErrorResponse } from '../../errors.js';

/**
 * Refuses a declared body over the limit before it is read. The Node listener also counts the
 * bytes of bodies without a Content-Length, so the limit holds for chunked uploads too.
 */
export function useBodyLimit({ maxBytes }: { maxBytes: number }): Plugin {
  return {
    onRequest({ request, endResponse }) {
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > maxBytes) endResponse(createErrorResponse(bodyTooLarge(maxBytes)));
    },
  };
}

export function bodyTooLarge(maxBytes: number): CairnError {
  return new CairnError(
    'PAYLOAD_TOO_LARGE',
    `the request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES)`,
  );
}
