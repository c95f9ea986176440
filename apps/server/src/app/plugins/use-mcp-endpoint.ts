import {
  createCairnClient,
  type ExecuteOptions,
  type GraphqlExecutor,
  type TadaDocumentNode,
  toClientError,
} from '@cairn/client';
import {
  createCairnMcpServer,
  createSessionHost,
  type SessionHost,
  type ToolCallExtra,
} from '@cairn/mcp-tools';
import type { DocumentNode, ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { RequestContext } from '../../schema/index.js';
import type { RequestStates } from '../request-state.js';

export const MCP_ENDPOINT = '/mcp';
const METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface McpEndpointOptions {
  readonly states: RequestStates;
  readonly version: string;
  /** PUBLIC_URL: the deployment's resource identifier; else the origin the client reached. */
  readonly publicUrl?: string | undefined;
  /** The server speaks HTTPS itself (for the origin derived from Host). */
  readonly https: boolean;
}

type Yoga = YogaServerInstance<Record<string, unknown>, RequestContext>;

/** What a tool call needs to run as the request's verified caller. */
interface InProcessCaller {
  readonly request: Request;
  readonly serverContext: Record<string, unknown>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
  });

/**
 * The MCP tools at /mcp on the API's own origin. Authentication has already resolved the
 * caller for this path (it is a protected path), so a token is validated once; each tool runs
 * its GraphQL operation in-process through yoga's own pipeline (context, policy, error
 * masking) as that caller. Same tools as the cairn-mcp bridge (@cairn/mcp-tools).
 */
export function useMcpEndpoint({ states, version, publicUrl, https }: McpEndpointOptions): Plugin {
  let yoga: Yoga | undefined;
  const validated = new WeakMap<object, readonly GraphQLError[]>();

  const executorFor = ({ request, serverContext }: InProcessCaller): GraphqlExecutor => ({
    async execute<Result, Variables>(
      document: TadaDocumentNode<Result, Variables>,
      variables: Variables,
      _options: ExecuteOptions,
    ): Promise<Result> {
      if (yoga === undefined) throw new Error('the MCP endpoint ran before yoga was initialised');
      const enveloped = yoga.getEnveloped({ request, ...serverContext } as never);
      const graphqlDocument = document as unknown as DocumentNode;
      let errors = validated.get(document);
      if (errors === undefined) {
        // Checked once per document: schema.graphql and the server's schema are kept equal.
        const fresh: readonly GraphQLError[] = enveloped.validate(
          enveloped.schema,
          graphqlDocument,
        );
        validated.set(document, fresh);
        errors = fresh;
      }
      const [invalid] = errors;
      if (invalid !== undefined)
        throw toClientError({ message: invalid.message, extensions: invalid.extensions });
      const result = (await enveloped.execute({
        schema: enveloped.schema,
        document: graphqlDocument,
        variableValues: variables as Record<string, unknown>,
        contextValue: await enveloped.contextFactory(),
      })) as ExecutionResult;
      const [first] = result.errors ?? [];
      if (first !== undefined)
        throw toClientError({ message: first.message, extensions: first.extensions });
      return result.data as Result;
    },
  });

  const sessions: SessionHost = createSessionHost({
    createServer: () =>
      createCairnMcpServer({
        version,
        clientFor: (extra: ToolCallExtra) => {
          const caller = extra.authInfo?.extra?.caller as InProcessCaller | undefined;
          if (caller === undefined) throw new Error('an MCP tool call arrived without its caller');
          return createCairnClient(executorFor(caller));
        },
      }),
  });

  const resourceFor = (request: Request): string => {
    if (publicUrl !== undefined) return publicUrl.replace(/\/+$/, '');
    return `${https ? 'https' : 'http'}://${request.headers.get('host') ?? 'localhost'}`;
  };
  // PUBLIC_URL's origin; the origin derived from Host only on loopback, where a rebound
  // attacker name (evil.example resolving to 127.0.0.1) cannot pass for the deployment.
  const allowedOrigins = (request: Request): ReadonlySet<string> => {
    const origins = new Set<string>();
    if (publicUrl !== undefined) origins.add(new URL(publicUrl).origin.toLowerCase());
    if (isLoopbackHost(request)) origins.add(new URL(resourceFor(request)).origin.toLowerCase());
    return origins;
  };
  const challengeFor = (request: Request) =>
    `Bearer realm="cairn", resource_metadata="${resourceFor(request)}${METADATA_PATH}"`;

  return {
    onYogaInit({ yoga: instance }) {
      yoga = instance as unknown as Yoga;
    },
    async onRequest({ request, url, endResponse, serverContext }) {
      if (
        request.method === 'GET' &&
        (url.pathname === METADATA_PATH || url.pathname === `${METADATA_PATH}${MCP_ENDPOINT}`)
      ) {
        endResponse(
          json(200, {
            resource: resourceFor(request),
            resource_name: 'Cairn',
            authorization_servers: [],
            bearer_methods_supported: ['header'],
          }),
        );
        return;
      }
      if (url.pathname !== MCP_ENDPOINT) return;
      // DNS rebinding: a browser may only drive /mcp from this deployment's own origin.
      const origin = request.headers.get('origin');
      if (origin !== null && !allowedOrigins(request).has(origin.toLowerCase())) {
        endResponse(
          json(403, {
            error: 'forbidden',
            error_description: 'this Origin may not use the MCP endpoint',
          }),
        );
        return;
      }
      const principal = states.get(request)?.principal;
      // Without authentication the Host must be loopback: a rebound name reaches no tool.
      if (principal?.kind === 'local' && !isLoopbackHost(request)) {
        endResponse(
          json(403, { error: 'forbidden', error_description: 'this Host is not served here' }),
        );
        return;
      }
      if (principal === undefined || principal.kind === 'anonymous') {
        endResponse(
          json(
            401,
            {
              error: 'unauthorized',
              error_description: 'authentication required: send Authorization: Bearer <token>',
            },
            { 'www-authenticate': challengeFor(request) },
          ),
        );
        return;
      }
      const credential = presentedCredential(request.headers);
      const caller: InProcessCaller = {
        request,
        serverContext: (serverContext ?? {}) as Record<string, unknown>,
      };
      endResponse(
        await sessions.handle(request, {
          credential,
          // The tools never see the credential: they run as the principal already resolved.
          authInfo: { token: '', clientId: principal.id, scopes: [], extra: { caller } },
        }),
      );
    },
    onResponse({ request, response }) {
      // The authentication plugin's 401 for /mcp also points MCP clients at the metadata.
      if (response.status === 401 && new URL(request.url).pathname === MCP_ENDPOINT) {
        response.headers.set('www-authenticate', challengeFor(request));
      }
    },
  };
}

/** The credential the session is bound to: the bearer, or X-API-Key; '' without auth. */
function presentedCredential(headers: Headers): string {
  const key = headers.get('x-api-key');
  if (key !== null && key !== '') return key;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1] ?? '';
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackHost(request: Request): boolean {
  const host = (request.headers.get('host') ?? '').toLowerCase().replace(/:\d+$/, '');
  return LOOPBACK_NAMES.has(host);
}
