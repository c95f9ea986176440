import type { Readable, Writable } from 'node:stream';
import { type ApiConnection, createCairnClient } from '@cairn/client';
import { createCairnMcpServer, type ToolDefaults } from '@cairn/mcp-tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export interface StdioBridgeOptions {
  readonly connection: ApiConnection;
  /** CAIRN_TOKEN: one caller for the whole process (the agent that started it). */
  readonly token: string | undefined;
  readonly defaults: ToolDefaults;
  readonly version: string;
  readonly input?: Readable;
  readonly output?: Writable;
}

/** Serves the Cairn tools over stdin/stdout until the client closes the pipe. */
export async function startStdioBridge(options: StdioBridgeOptions): Promise<McpServer> {
  const client = createCairnClient(options.connection.executor(options.token));
  const server = createCairnMcpServer({
    clientFor: () => client,
    defaults: options.defaults,
    version: options.version,
  });
  const transport = new StdioServerTransport(options.input, options.output);
  await server.connect(transport);
  return server;
}
