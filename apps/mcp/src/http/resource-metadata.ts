export const METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface ResourceMetadataOptions {
  /** The MCP endpoint as clients reach it, e.g. https://mcp.example.com/mcp. */
  readonly endpoint: URL;
  /** Where a person reads how to get a token. */
  readonly documentation?: string;
}

/** RFC 9728 protected resource metadata for the MCP endpoint. */
export function createResourceMetadata({
  endpoint,
  documentation,
}: ResourceMetadataOptions): Record<string, unknown> {
  return {
    resource: endpoint.href,
    resource_name: 'Cairn MCP',
    // Cairn issues its own credentials (API keys, login sessions): no OAuth authorization
    // server is advertised, so clients send a configured bearer instead of starting a flow.
    authorization_servers: [],
    bearer_methods_supported: ['header'],
    ...(documentation === undefined ? {} : { resource_documentation: documentation }),
  };
}

/** The metadata's URL for `endpoint`: at the origin root and path-suffixed (RFC 9728 §3.1). */
export function metadataUrls(endpoint: URL): { root: URL; forPath: URL } {
  const path = endpoint.pathname === '/' ? '' : endpoint.pathname;
  return {
    root: new URL(METADATA_PATH, endpoint),
    forPath: new URL(`${METADATA_PATH}${path}`, endpoint),
  };
}

/** The 401 challenge (RFC 6750 + RFC 9728 §5.1), pointing at the metadata. */
export function bearerChallenge(metadataUrl: URL, error?: string, description?: string): string {
  const parts = [`resource_metadata="${metadataUrl.href}"`];
  if (error !== undefined) parts.push(`error="${error}"`);
  if (description !== undefined)
    parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  return `Bearer ${parts.join(', ')}`;
}
