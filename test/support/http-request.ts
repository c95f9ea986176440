import {
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
} from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface RawRequest {
  readonly method?: string;
  /** Path and query, e.g. `/graphql`. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent as is: may be invalid UTF-8, broken JSON, anything. */
  readonly body?: Buffer | string;
  /** Gives up (and rejects) after this long without a complete answer. */
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestTarget {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** PEM of the CA that signed an HTTPS server's certificate. */
  readonly ca?: string;
  /** Keep-alive agent to reuse connections (matching the URL's scheme). */
  readonly agent?: HttpAgent | HttpsAgent;
}

/**
 * One request through node:http(s), byte for byte what the caller gives (fetch would
 * normalise headers and refuse some bodies, which is exactly what fuzzing must not do).
 */
export function sendRequest(target: RequestTarget, options: RawRequest): Promise<RawResponse> {
  // Only the origin comes from baseUrl: the path goes out verbatim (`//x`, `/../y`, `%zz`).
  const url = new URL(target.baseUrl);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(https ? { servername: 'localhost', ca: target.ca } : {}),
        ...(target.agent === undefined ? { agent: false } : { agent: target.agent }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(options.timeoutMs ?? 30_000, () =>
      outgoing.destroy(
        new Error(
          `no answer to ${options.method ?? 'GET'} ${options.path} in ${options.timeoutMs ?? 30_000} ms`,
        ),
      ),
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

export interface GraphqlAnswer {
  readonly status: number;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** A GraphQL POST (JSON) through sendRequest; the body must parse as JSON. */
export async function postGraphql(
  target: RequestTarget,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<GraphqlAnswer> {
  const response = await sendRequest(target, {
    method: 'POST',
    path: '/graphql',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
    timeoutMs,
  });
  try {
    return { status: response.status, body: JSON.parse(response.body) as GraphqlAnswer['body'] };
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${response.body.slice(0, 300)}`);
  }
}
