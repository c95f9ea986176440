import { randomBytes } from 'node:crypto';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzCase, graphqlRequests } from '../support/graphql-fuzz.js';
import { type RawResponse, type RequestTarget, sendRequest } from '../support/http-request.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

/*
 * Hostile requests against a real `cairn serve`: the process must survive every one (same pid,
 * /health answers), never leak a stack or a source path, and always answer with a well-formed
 * HTTP error (JSON GraphQL errors with a known code) within the configured limits.
 */
const FIXED_SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const RANDOM_SEED = Number(
  process.env.FUZZ_RANDOM_SEED ?? Number.parseInt(randomBytes(4).toString('hex'), 16) >>> 1,
);
const RUNS = 400;
const MAX_BODY_BYTES = 262_144;
const REQUEST_TIMEOUT_SECONDS = 5;
/** Generous: the request timeout plus the time a 2-core machine shared by many may take. */
const ANSWER_WITHIN_MS = REQUEST_TIMEOUT_SECONDS * 1000 + 15_000;
const API_KEY = `fuzz-${randomBytes(16).toString('hex')}`;
/** Node's default limit on a request's line and headers (--max-http-header-size). */
const MAX_HEAD_BYTES = 16_384;

const KNOWN_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);
// A stack frame, a dependency path or a source location: never in an answer.
const LEAK = /(^|\n|\\n)\s*at |node_modules|\.ts:\d|\.js:\d|file:\/\/|\/work\/|\/src\//;

let temp: TempDir;
let server: ServerProcess;
let target: RequestTarget;
let pid: number | undefined;

beforeAll(async () => {
  temp = await createTempDir('cairn-e2e-fuzz-');
  server = await startServer({
    DATA_DIR: temp.file('data'),
    ENCRYPTION_KEY: formatKey(generateMasterKey()),
    API_KEY,
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
    // Wrong keys are part of the fuzz: keep the lockout from turning every answer into a 429.
    AUTH_FAILURE_LIMIT: '100000',
  });
  target = { baseUrl: server.url };
  pid = server.child.pid;
}, 90_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await temp?.remove();
});

/** What every answer must be, whatever was sent. */
function checkAnswer(request: FuzzCase, response: RawResponse, elapsedMs: number): void {
  const context = `${request.label} ${request.method} ${request.path.slice(0, 80)} accept=${request.headers?.accept} → ${response.status} ${response.body.slice(0, 300)}`;
  expect(elapsedMs, context).toBeLessThan(ANSWER_WITHIN_MS);
  expect(response.body, context).not.toMatch(LEAK);
  // Server errors would mean an unexpected failure; 503 only as the timeout's UNAVAILABLE.
  expect(response.status, context).toBeGreaterThanOrEqual(200);
  expect([500, 501, 502, 504].includes(response.status), context).toBe(false);
  expect(response.status < 600, context).toBe(true);
  const type = String(response.headers['content-type'] ?? '');
  if (request.method === 'HEAD' || response.status === 204 || response.body === '') return;
  let payloads: string[];
  if (/json/.test(type)) {
    payloads = [response.body];
  } else if (/text\/event-stream/.test(type)) {
    // GraphQL over SSE, only for a client that asked for it; each event carries a JSON result.
    expect(String(request.headers?.accept), context).toMatch(/text\/event-stream/);
    payloads = response.body
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .map((line) => line.slice(6));
  } else if (/text\/html/.test(type)) {
    // GraphiQL (on by default in development) for a browser's GET.
    expect(`${request.method} ${request.headers?.accept}`, context).toMatch(/^GET .*text\/html/);
    return;
  } else {
    // Only non-GraphQL paths may answer without JSON (e.g. /metrics text, 404 of a router).
    expect(request.path.startsWith('/graphql') && response.status !== 404, context).toBe(false);
    return;
  }
  const results = payloads.map(
    (payload) =>
      JSON.parse(payload) as {
        data?: unknown;
        errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
      },
  );
  for (const parsed of results) {
    if (parsed.errors === undefined) continue;
    expect(Array.isArray(parsed.errors), context).toBe(true);
    expect(parsed.errors.length, context).toBeGreaterThan(0);
    for (const error of parsed.errors) {
      expect(typeof error.message, context).toBe('string');
      expect(error.message, context).not.toBe('Unexpected error.');
      const code = error.extensions?.code;
      expect(typeof code === 'string' && KNOWN_CODES.has(code), `${context} (code ${code})`).toBe(
        true,
      );
    }
  }
  const parsed = results[0] ?? {};
  if (response.status === 503) {
    expect(parsed.errors?.[0]?.extensions?.code, context).toBe('UNAVAILABLE');
  }
  if (response.status >= 400) expect(parsed.errors, context).toBeDefined();
}

function headBytes(request: FuzzCase): number {
  const headers = Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
  return Buffer.byteLength(`${request.method} ${request.path} HTTP/1.1\r\n${headers.join('\r\n')}`);
}

/*
 * A request whose head is over Node's limit (431) or whose body is over MAX_BODY_BYTES (413) is
 * answered and the socket closed without reading the rest; while the client is still sending,
 * the kernel may turn that close into a reset that arrives before the answer is read. Only for
 * such a request is a reset an answer.
 */
function isResetOfOversizedRequest(request: FuzzCase, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  const bodyBytes = request.body === undefined ? 0 : Buffer.byteLength(request.body);
  const oversized = headBytes(request) > MAX_HEAD_BYTES || bodyBytes > MAX_BODY_BYTES;
  return (code === 'ECONNRESET' || code === 'EPIPE') && oversized;
}

async function property(seed: number): Promise<void> {
  const seen = new Map<number | string, number>();
  try {
    await fc.assert(
      fc.asyncProperty(graphqlRequests(API_KEY), async (request) => {
        const started = Date.now();
        let response: RawResponse;
        try {
          response = await sendRequest(target, { ...request, timeoutMs: ANSWER_WITHIN_MS });
        } catch (error) {
          if (!isResetOfOversizedRequest(request, error)) throw error;
          seen.set('reset', (seen.get('reset') ?? 0) + 1);
          return;
        }
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        checkAnswer(request, response, Date.now() - started);
      }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
  } catch (error) {
    // fast-check's report names the seed and the shrunk counterexample; say how to replay it.
    console.error(`graphql fuzz failed with seed ${seed}: rerun with FUZZ_SEED=${seed}`);
    throw error;
  }
  console.info(JSON.stringify({ seed, statuses: Object.fromEntries(seen) }));
  // Still the same process, still answering.
  expect(server.child.exitCode).toBeNull();
  expect(server.child.pid).toBe(pid);
  expect((await sendRequest(target, { path: '/health' })).status).toBe(200);
}

describe('GraphQL over HTTP under hostile input', () => {
  it(`survives ${RUNS} generated requests from the fixed seed ${FIXED_SEED}`, async () => {
    await property(FIXED_SEED);
  }, 120_000);

  it(`survives ${RUNS} generated requests from a random seed (${RANDOM_SEED})`, async () => {
    await property(RANDOM_SEED);
  }, 120_000);

  it('logged no crash-level error while fuzzed', () => {
    const fatal = server.logs.filter((line) => line.level === 'fatal' || line.level === 60);
    expect(fatal).toEqual([]);
    expect(server.stderr()).not.toMatch(/uncaught|unhandled|FATAL ERROR/i);
  });
});
