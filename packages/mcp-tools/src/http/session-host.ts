import { randomUUID } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from '@modelcontextprotocol/sdk/server/requestBody.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { type CredentialBinder, createCredentialBinder } from './credential-binding.js';

/** The authenticated caller of one HTTP request, as the endpoint's authentication saw it. */
export interface HttpCaller {
  /** The presented credential, only to bind and check the session; never stored as is. */
  readonly credential: string;
  /** Handed to the tools of this request (extra.authInfo). */
  readonly authInfo: AuthInfo;
}

export interface SessionHostOptions {
  /** A fresh MCP server for each new session. */
  readonly createServer: () => McpServer;
  /** Sessions kept at once; the least recently used is closed beyond it. Default 1 000. */
  readonly maxSessions?: number;
  /** A session unused this long is closed. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  readonly binder?: CredentialBinder;
  readonly now?: () => number;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly binding: Buffer;
  lastUsed: number;
}

/** Streamable HTTP sessions, each bound to the credential that opened it. */
export interface SessionHost {
  handle(request: Request, caller: HttpCaller): Promise<Response>;
  readonly size: number;
  /** Closes sessions idle longer than idleTimeoutMs now (also done every minute). */
  closeIdleSessions(): void;
  close(): Promise<void>;
}

const jsonRpcError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/**
 * The JSON body of a POST the transport would read, parsed here from the request's bytes; or
 * undefined to leave the request to the transport as it is.
 *
 * The transport reads a body through `request.body`, a WHATWG stream, which makes an adapted
 * Node request (the bridge's, via @hono/node-server) build a full fetch `Request` and a stream
 * around the socket: about a tenth of the bridge's CPU per tool call. `request.text()` takes the
 * adapter's direct path instead. Only a body the transport would read unchanged is read here —
 * a POST it accepts (Accept and Content-Type checked first, as it does) with a Content-Length
 * within its limit, which Node's parser enforces; anything else (no length, too large, wrong
 * headers) still gets the transport's own handling and answers.
 */
async function readAcceptedBody(
  request: Request,
): Promise<{ parsed: unknown } | Response | undefined> {
  if (request.method !== 'POST') return undefined;
  const accept = request.headers.get('accept');
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream'))
    return undefined;
  if (!isJsonContentType(request.headers.get('content-type'))) return undefined;
  const length = request.headers.get('content-length');
  if (
    length === null ||
    !/^\d{1,9}$/.test(length) ||
    Number(length) > DEFAULT_MAX_REQUEST_BODY_SIZE
  )
    return undefined;
  try {
    return { parsed: JSON.parse(await request.text()) };
  } catch {
    // The transport's own answer to a body it cannot read or parse.
    return jsonRpcError(400, -32700, 'Parse error: Invalid JSON');
  }
}

/** Hands a request to a session's transport, its body parsed once when it can be. */
async function handleWith(
  transport: WebStandardStreamableHTTPServerTransport,
  request: Request,
  caller: HttpCaller,
): Promise<Response> {
  const body = await readAcceptedBody(request);
  if (body instanceof Response) return body;
  return transport.handleRequest(
    request,
    body === undefined
      ? { authInfo: caller.authInfo }
      : { authInfo: caller.authInfo, parsedBody: body.parsed },
  );
}

export function createSessionHost(options: SessionHostOptions): SessionHost {
  const maxSessions = options.maxSessions ?? 1_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const binder = options.binder ?? createCredentialBinder();
  const now = options.now ?? Date.now;
  // Insertion order is use order: a session is moved to the end each time it is used.
  const sessions = new Map<string, Session>();

  const closeSession = async (id: string) => {
    const session = sessions.get(id);
    if (session === undefined) return;
    sessions.delete(id);
    await session.transport.close().catch(() => undefined);
    await session.server.close().catch(() => undefined);
  };

  const sweep = () => {
    const cutoff = now() - idleTimeoutMs;
    for (const [id, session] of sessions) if (session.lastUsed < cutoff) void closeSession(id);
    while (sessions.size > maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      void closeSession(oldest);
    }
  };
  const sweeper = setInterval(sweep, Math.min(60_000, idleTimeoutMs));
  sweeper.unref();

  const openSession = async (request: Request, caller: HttpCaller): Promise<Response> => {
    const binding = binder.bind(caller.credential);
    let opened: string | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      // 122 random bits: the id names a session, it never proves who is calling.
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        opened = id;
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = options.createServer();
    await server.connect(transport);
    const response = await handleWith(transport, request, caller);
    if (opened === undefined) {
      // Not an initialize request: nothing to keep.
      await transport.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      return response;
    }
    sessions.set(opened, { transport, server, binding, lastUsed: now() });
    sweep();
    return response;
  };

  return {
    async handle(request, caller) {
      const id = request.headers.get('mcp-session-id');
      if (id === null) return openSession(request, caller);
      const session = sessions.get(id);
      // Another credential's session answers exactly like an unknown one: a valid session id
      // is worth nothing without the credential that opened it, and its existence is not told.
      if (session === undefined || !binder.matches(session.binding, caller.credential)) {
        return jsonRpcError(404, -32001, 'Session not found: initialize a new session');
      }
      session.lastUsed = now();
      sessions.delete(id);
      sessions.set(id, session);
      return handleWith(session.transport, request, caller);
    },
    get size() {
      return sessions.size;
    },
    closeIdleSessions: sweep,
    async close() {
      clearInterval(sweeper);
      await Promise.all([...sessions.keys()].map(closeSession));
    },
  };
}
