import type { TadaDocumentNode } from 'gql.tada';

export interface ExecuteOptions {
  /**
   * The operation changes nothing, so repeating it is safe: only these are retried after a
   * network failure or a 502/503/504. A mutation is sent exactly once.
   */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Runs one typed operation and returns its `data`, or throws a CairnClientError carrying the
 * API's code. Over HTTP for the bridge; in-process (the server's own schema and request
 * context) for the server's /mcp endpoint.
 */
export interface GraphqlExecutor {
  execute<Result, Variables>(
    document: TadaDocumentNode<Result, Variables>,
    variables: Variables,
    options: ExecuteOptions,
  ): Promise<Result>;
}
