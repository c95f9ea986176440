import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CairnToolsError } from './errors.js';
import { registerCairnTools } from './register-cairn-tools.js';
import type { ClientForCall, ToolDefaults } from './tool-context.js';

export interface CairnMcpServerOptions {
  readonly clientFor: ClientForCall;
  readonly defaults?: ToolDefaults;
  /** Reported to clients in `serverInfo`. */
  readonly version: string;
}

const INSTRUCTIONS = `Cairn is a knowledge memory: store facts with tell/tell_many, teach rules with teach, and ask questions answered by logical inference with ask. Start with list_predicates to see what is known. Facts look like predicate(arg, …); variables in questions and patterns start with "?".`;

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** One MCP server (one per session) with every Cairn tool registered. */
export function createCairnMcpServer({
  clientFor,
  defaults = {},
  version,
}: CairnMcpServerOptions): McpServer {
  for (const [field, value] of Object.entries(defaults)) {
    if (value !== undefined && !NAME_PATTERN.test(value)) {
      throw new CairnToolsError(
        'BAD_OPTIONS',
        `the default ${field} "${value}" is not a valid name: use 1–64 letters, digits, "_" or "-"`,
      );
    }
  }
  const server = new McpServer(
    { name: 'cairn', title: 'Cairn knowledge memory', version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerCairnTools(server, { clientFor, defaults });
  return server;
}
