import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import { CairnError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { resolveRequestId } from '../observability/request-id.js';
import type { RequestContext } from '../schema/index.js';
import { bodyTooLarge } from './plugins/use-body-limit.js';
import { findMalformedJsonParameter } from './query-parameters.js';

export interface NodeListenerOptions {
  readonly yoga: YogaServerInstance<Record<string, unknown>, RequestContext>;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * Node's request → yoga.fetch → Node's response, with what yoga does not do itself: a body
 * limit that also holds for chunked bodies, a timeout that aborts execution, and a drain
 * mode for graceful shutdown.
 */
export function createNodeListener(options: NodeListenerOptions): {
  handler: RequestListener;
  close(): Promise<void>;
} {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const handler: RequestListener = (req, res) => {
    if (closing) {
      res.setHeader('connection', 'close');
      writeError(res, new CairnError('UNAVAILABLE', 'the server is shutting down; retry shortly'));
      return;
    }
    inFlight++;
    serve(req, res, options)
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'request failed outside GraphQL');
        if (!res.headersSent) writeError(res, new CairnError('INTERNAL', 'Unexpected error.'));
        else res.destroy();
      })
      .finally(() => {
        inFlight--;
        if (closing && inFlight === 0) drained?.();
      });
  };

  return {
    handler,
    close() {
      closing = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = resolve;
      });
    },
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeListenerOptions,
): Promise<void> {
  const method = req.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const declared = Number(req.headers['content-length'] ?? '0');
    const read =
      declared > options.maxBodyBytes ? undefined : await readBody(req, options.maxBodyBytes);
    if (read === undefined) {
      res.setHeader('connection', 'close');
      writeError(res, bodyTooLarge(options.maxBodyBytes));
      req.resume();
      return;
    }
    body = read;
  }
  const url = new URL(req.url ?? '/', 'http://cairn.invalid');
  const malformed = method === 'GET' ? findMalformedJsonParameter(url) : undefined;
  if (malformed !== undefined) {
    writeError(res, new CairnError('BAD_USER_INPUT', malformed));
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.requestTimeoutMs);
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.yoga.fetch(
      url.href,
      { method, headers, ...(body === undefined ? {} : { body }), signal: controller.signal },
      { req, res },
    );
    const outgoing: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    res.writeHead(response.status, outgoing);
    if (response.body === null || method === 'HEAD') {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch (error) {
    if (controller.signal.aborted && !res.headersSent) {
      writeError(
        res,
        new CairnError(
          'UNAVAILABLE',
          `the request took longer than ${options.requestTimeoutMs} ms and was stopped`,
        ),
      );
      return;
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(undefined);
        req.removeAllListeners('data');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Errors answered before yoga sees the request still carry a request id. */
function writeError(res: ServerResponse, error: CairnError): void {
  const body = JSON.stringify({
    errors: [{ message: error.message, extensions: { code: error.code } }],
  });
  const incoming = res.req.headers['x-request-id'];
  res.writeHead(error.httpStatus, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': resolveRequestId(typeof incoming === 'string' ? incoming : null),
  });
  res.end(body);
}
