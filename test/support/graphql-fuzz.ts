import fc from 'fast-check';
import type { RawRequest } from './http-request.js';

/*
 * Arbitraries for hostile GraphQL-over-HTTP requests: generated and mutated documents, wrong
 * variables, wrong content types, broken or invalid-UTF-8 bodies, oversized everything.
 */

/** Text that is hard on parsers and storage: unicode planes, NUL, quotes, escapes, RTL. */
export const nastyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '"',
    '\\',
    '\\u0000',
    '\u202e\u0645\u0631\u062d\u0628\u0627',
    '🦄'.repeat(50),
    '\ud800',
    '%00',
    // A log4j-style lookup, as a literal string on purpose.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the literal text
    '${jndi:ldap://x}',
    "'; drop table users; --",
    '?x',
    'p(?x) :- p(?x)',
  ),
);

/** Values in the wrong shape for any argument. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    2 ** 31,
    -(2 ** 31) - 1,
    0,
    -1,
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A GraphQL string literal of `text` (JSON escaping is valid GraphQL string escaping). */
const literal = (text: string) => JSON.stringify(text);

/** Documents that are valid GraphQL syntax, each stressing one limit or argument. */
const documents: fc.Arbitrary<string> = fc.oneof(
  nastyText.map((t) => `mutation { tell(fact: ${literal(`fuzz(${literal(t)})`)}) { text } }`),
  nastyText.map((t) => `mutation { tell(fact: ${literal(t)}) { text } }`),
  nastyText.map((t) => `{ ask(query: ${literal(t)}, limit: 5) { count solutions } }`),
  fc
    .tuple(nastyText, fc.integer({ min: -5, max: 2 ** 31 - 1 }))
    .map(([t, n]) => `{ ask(query: ${literal(`fuzz(${t})`)}, limit: ${n}) { count } }`),
  nastyText.map((t) => `mutation { retract(pattern: ${literal(t)}) { retracted } }`),
  nastyText.map((t) => `mutation { teach(rule: ${literal(t)}) { id } }`),
  nastyText.map(
    (t) => `{ facts(predicate: ${literal(t)}, first: 3, after: ${literal(t)}) { nodes { text } } }`,
  ),
  nastyText.map((t) => `{ ask(database: ${literal(t)}, query: "fuzz(?x)") { count } }`),
  fc
    .integer({ min: 1, max: 400 })
    .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: health { status }`).join(' ')} }`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `{ ${'a { '.repeat(n)}b${' }'.repeat(n)} }`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `{ health { ${'status '.repeat(n)}} }`),
  fc
    .integer({ min: 1, max: 300 })
    .map((n) => `{ health @include(if: true) ${'@skip(if: false) '.repeat(n)}{ status } }`),
  fc
    .integer({ min: 1, max: 60 })
    .map(
      (n) =>
        `query ($v: String) { __schema { types { ${'fields { type { '.repeat(n)}name${' } }'.repeat(n)} } } }`,
    ),
  fc.constantFrom(
    '{ __typename }',
    '{ health { status } }',
    '{ databases { name } }',
    '{ me { name } }',
    'subscription { x }',
    'query A { health { status } } query B { health { status } }',
    'fragment F on Query { ...F } { ...F }',
    '{ ask(query: "p(?x)") { count } } mutation { tell(fact: "p(a)") { text } }',
    '{ ask(query: 12) { count } }',
    '{ ask(query: "p(?x)", limit: 99999999999999999999) { count } }',
    '{ ask(query: "p(?x)", limit: -1) { count } }',
    '{ ask(query: "p(?x)", limit: 1.5) { count } }',
    'mutation { tellMany(facts: [1, 2, 3]) { count } }',
    'mutation { tell(fact: null) { text } }',
    `mutation { tell(fact: ${literal(`big(${literal('x'.repeat(200_000))})`)}) { text } }`,
  ),
);

/** One character inserted, deleted or replaced at random positions. */
function mutate(document: string, edits: Array<[number, number, string]>): string {
  let text = document;
  for (const [kind, position, character] of edits) {
    const at = text.length === 0 ? 0 : position % text.length;
    if (kind === 0) text = text.slice(0, at) + character + text.slice(at);
    else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1);
    else text = text.slice(0, at) + character + text.slice(at + 1);
  }
  return text;
}

const mutatedDocuments = fc
  .tuple(
    documents,
    fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        fc.constantFrom(
          '{',
          '}',
          '(',
          ')',
          '"',
          '\\',
          '$',
          '@',
          '.',
          ':',
          '!',
          '#',
          '\u0000',
          'é',
          ' ',
        ),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([document, edits]) => mutate(document, edits));

const variables: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('f', 'n', 'v', 'after', 'query'), wrongValue, { maxKeys: 3 }),
  wrongValue,
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/xml',
  'garbage',
  '',
);

const accepts = fc.constantFrom(
  'application/graphql-response+json',
  'application/json',
  '*/*',
  'text/html',
  'text/event-stream',
  'application/x-nonsense',
  '',
);

/** Header values node:http will send (visible ASCII and spaces). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});

/** Every UTF-8 byte percent-encoded (encodeURIComponent throws on lone surrogates). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

function body(query: unknown, vars: unknown, operationName: unknown): string {
  const payload: Record<string, unknown> = { query };
  if (vars !== undefined) payload.variables = vars;
  if (operationName !== undefined) payload.operationName = operationName;
  return JSON.stringify(payload);
}

const rawBodies: fc.Arbitrary<Buffer | string> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(
    Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
  ),
  documents
    .map((d) => body(d, undefined, undefined))
    .chain((json) => fc.nat({ max: json.length }).map((cut) => json.slice(0, cut))),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '[{"query":"{ __typename }"}]',
    '42',
    '"{ __typename }"',
    '{"query": 123}',
    '{"query": null}',
    '{"query": "{ __typename }", "variables": "not an object"}',
    '{"query": "{ __typename }", "extensions": {"persistedQuery": {"sha256Hash": "x"}}}',
    '{"query": "{ __typename }"'.padEnd(5000, ' '),
    `{"query":"${'['.repeat(100_000)}"}`,
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `{"query":"{ __typename }","variables":{"v":${'1'.repeat(5000)}}}`,
    '{"__proto__": {"polluted": true}, "query": "{ __typename }"}',
    // Over any sensible MAX_BODY_BYTES: refused before it is parsed.
    `{"query":"{ __typename }","padding":"${'x'.repeat(2_000_000)}"}`,
  ),
);

export interface FuzzCase extends RawRequest {
  readonly label: string;
}

/** Requests to /graphql: mostly POST with JSON-ish bodies, some GET and odd methods. */
export function graphqlRequests(apiKey: string): fc.Arbitrary<FuzzCase> {
  // Mostly the right key, so most requests reach parsing, validation and execution.
  const credentials = fc.oneof(
    { arbitrary: fc.constant<Record<string, string>>({ 'x-api-key': apiKey }), weight: 6 },
    {
      arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${apiKey}` }),
      weight: 2,
    },
    { arbitrary: fc.constant<Record<string, string>>({}), weight: 1 },
    { arbitrary: headerText.map((value) => ({ 'x-api-key': value })), weight: 1 },
    { arbitrary: headerText.map((value) => ({ authorization: value })), weight: 1 },
  );

  const extraHeaders = fc.dictionary(
    fc.constantFrom(
      'x-request-id',
      'x-forwarded-for',
      'origin',
      'cookie',
      'x-custom',
      'graphql-client-name',
    ),
    headerText,
    { maxKeys: 3 },
  );
  const post = fc
    .record({
      query: fc.oneof(documents, mutatedDocuments, wrongValue),
      vars: variables,
      operationName: fc.oneof(fc.constant(undefined), nastyText, fc.integer()),
      contentType: fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 4 },
        contentTypes,
      ),
      accept: accepts,
      credentials,
      extra: extraHeaders,
      raw: fc.option(rawBodies, { freq: 3 }),
    })
    .map(({ query, vars, operationName, contentType, accept, credentials: auth, extra, raw }) => ({
      label: raw === null ? 'post' : 'post-raw',
      method: 'POST',
      path: '/graphql',
      headers: { ...extra, ...auth, 'content-type': contentType, accept },
      body: raw ?? body(query, vars, operationName),
    }));
  const get = fc
    .record({
      query: fc.oneof(documents, mutatedDocuments),
      vars: fc.oneof(fc.constant(''), nastyText),
      accept: accepts,
      credentials,
    })
    .map(({ query, vars, accept, credentials: auth }) => ({
      label: 'get',
      method: 'GET',
      path: `/graphql?query=${percentEncode(query)}${vars === '' ? '' : `&variables=${percentEncode(vars)}`}`,
      headers: { ...auth, accept },
    }));
  const odd = fc
    .record({
      method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      path: fc.constantFrom(
        '/graphql',
        '/graphql/',
        '/GRAPHQL',
        '/health',
        '/metrics',
        '/nope',
        '/graphql?%zz',
        '//graphql',
        '/../etc/passwd',
      ),
      credentials,
    })
    .map(({ method, path, credentials: auth }) => ({
      label: 'odd',
      method,
      path,
      headers: { ...auth, 'content-type': 'application/json' },
      ...(method === 'HEAD' || method === 'OPTIONS' ? {} : { body: '{"query":"{ __typename }"}' }),
    }));
  return fc.oneof(
    { arbitrary: post, weight: 8 },
    { arbitrary: get, weight: 2 },
    { arbitrary: odd, weight: 1 },
  );
}
