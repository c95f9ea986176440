import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDependencies } from './tool-context.js';
import { registerAskTool } from './tools/ask.js';
import { registerListDatabasesTool } from './tools/list-databases.js';
import { registerListPredicatesTool } from './tools/list-predicates.js';
import { registerRetractTool } from './tools/retract.js';
import { registerTeachTool } from './tools/teach.js';
import { registerTellTool } from './tools/tell.js';
import { registerTellManyTool } from './tools/tell-many.js';

/** The public tool names (DESIGN §7). */
export const CAIRN_TOOL_NAMES = Object.freeze([
  'tell',
  'tell_many',
  'ask',
  'teach',
  'retract',
  'list_databases',
  'list_predicates',
] as const);

export type CairnToolName = (typeof CAIRN_TOOL_NAMES)[number];

/** Registers every Cairn tool on an MCP server. */
export function registerCairnTools(server: McpServer, dependencies: ToolDependencies): void {
  registerTellTool(server, dependencies);
  registerTellManyTool(server, dependencies);
  registerAskTool(server, dependencies);
  registerTeachTool(server, dependencies);
  registerRetractTool(server, dependencies);
  registerListDatabasesTool(server, dependencies);
  registerListPredicatesTool(server, dependencies);
}
