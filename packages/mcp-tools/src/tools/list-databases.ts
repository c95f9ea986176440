import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';

export function registerListDatabasesTool(
  server: McpServer,
  { clientFor }: ToolDependencies,
): void {
  server.registerTool(
    'list_databases',
    {
      title: 'List databases',
      description:
        'List the Cairn databases (independent knowledge bases) this caller may read, with their rule counts and tenants. Use a name as the `database` argument of the other tools.',
      outputSchema: {
        databases: z.array(
          z.object({
            name: z.string(),
            createdAt: z.string(),
            rules: z.number().int(),
            tenants: z.array(z.string()),
            lastSequence: z.number(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (extra) =>
      runTool(async () => {
        const databases = await clientFor(extra).databases(extra.signal);
        const text =
          databases.length === 0
            ? 'No databases are visible to this caller.'
            : databases
                .map(
                  (db) =>
                    `- ${db.name}: ${db.rules} rule${db.rules === 1 ? '' : 's'}, tenants ${db.tenants.join(', ') || '(none yet)'}`,
                )
                .join('\n');
        return toolSuccess({ databases: [...databases] }, text);
      }),
  );
}
