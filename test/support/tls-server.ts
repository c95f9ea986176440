import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ConnectionOptions, connect } from 'node:tls';
import { createHttpsServer, type HttpsServerOptions, type TlsSettings } from '@cairn/server/tls';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

export interface RunningServer {
  readonly port: number;
  readonly logs: LogEntry[];
  reload(): boolean;
  stop(): Promise<void>;
}

/** createHttpsServer with a trivial listener on 127.0.0.1:0 and a logger that records. */
export async function startTlsServer(
  settings: TlsSettings,
  options: HttpsServerOptions = {},
): Promise<RunningServer> {
  const logs: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (fields: object, message?: string) => {
    logs.push({ level, fields: fields as Record<string, unknown>, message });
  };
  const handle = createHttpsServer(
    settings,
    (_request, response) => {
      response.setHeader('content-type', 'text/plain');
      response.end('hello over tls');
    },
    { info: record('info'), warn: record('warn'), error: record('error') },
    options,
  );
  await new Promise<void>((resolve) => handle.server.listen(0, '127.0.0.1', resolve));
  const { port } = handle.server.address() as AddressInfo;
  return {
    port,
    logs,
    reload: handle.reload,
    stop: async () => {
      handle.close();
      handle.server.closeAllConnections();
      await new Promise<void>((resolve) => handle.server.close(() => resolve()));
    },
  };
}

export interface Handshake {
  readonly fingerprint256: string;
  readonly protocol: string | null;
  readonly cipher: string;
  readonly authorized: boolean;
}

/** A real TLS handshake; resolves with what the server presented, rejects when refused. */
export function handshake(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => {
      const result = {
        fingerprint256: socket.getPeerCertificate().fingerprint256,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        authorized: socket.authorized,
      };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTPS GET through node:https (no connection reuse). */
export function httpsGet(
  port: number,
  options: ConnectionOptions = {},
  path = '/',
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, servername: 'localhost', agent: false, ...options },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Polls `check` until it returns a value other than undefined (file watching is asynchronous). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  limitMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
