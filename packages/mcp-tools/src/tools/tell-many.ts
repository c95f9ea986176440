import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { scopeOf, type ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, factOutput, tenantArgument } from './schemas.js';

const DESCRIPTION = `Store several facts at once, all or nothing: if one is malformed or refused, none is stored and the error names it (e.g. facts[2]).
Each fact uses the same syntax as \`tell\`, e.g. ["parent(alice, bob)", "parent(bob, carol)"].`;

export function registerTellManyTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'tell_many',
    {
      title: 'Store several facts',
      description: DESCRIPTION,
      inputSchema: {
        facts: z
          .array(z.string().min(1).max(10_000))
          .min(1)
          .max(1_000)
          .describe('The facts, one per item, e.g. ["parent(alice, bob)", "parent(bob, carol)"]'),
        database: databaseArgument,
        tenant: tenantArgument,
      },
      outputSchema: { count: z.number().int(), facts: z.array(factOutput) },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    (args, extra) =>
      runTool(async () => {
        const scope = scopeOf(args, defaults);
        const result = await clientFor(extra).tellMany(
          { ...scope, facts: args.facts },
          extra.signal,
        );
        return toolSuccess(
          { count: result.count, facts: [...result.facts] },
          `Stored ${result.count} fact${result.count === 1 ? '' : 's'} in database ${scope.database ?? 'default'}.`,
        );
      }),
  );
}
