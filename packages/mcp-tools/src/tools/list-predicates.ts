import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { scopeOf, type ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, tenantArgument } from './schemas.js';

export function registerListPredicatesTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'list_predicates',
    {
      title: 'List predicates',
      description:
        'List the predicates known in a database and tenant: name, arity, how many facts are stored, and whether rules derive it. Call this first to learn what can be asked.',
      inputSchema: { database: databaseArgument, tenant: tenantArgument },
      outputSchema: {
        predicates: z.array(
          z.object({
            name: z.string(),
            arity: z.number().int(),
            facts: z.number().int(),
            derived: z.boolean(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(async () => {
        const predicates = await clientFor(extra).predicates(scopeOf(args, defaults), extra.signal);
        const text =
          predicates.length === 0
            ? 'No predicates yet: nothing has been told or taught here.'
            : predicates
                .map(
                  (p) =>
                    `- ${p.name}/${p.arity}: ${p.facts} fact${p.facts === 1 ? '' : 's'}${p.derived ? ', derived by rules' : ''}`,
                )
                .join('\n');
        return toolSuccess({ predicates: [...predicates] }, text);
      }),
  );
}
