import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { scopeOf, type ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, factOutput, tenantArgument } from './schemas.js';

const DESCRIPTION = `Store one fact in Cairn's memory; it is durable when this returns.
Syntax: \`predicate(arg1, arg2, …)\`. Bare lowercase words are constants; quote anything else ("Alice Smith"); numbers and true/false are values.
Optional: \`not p(a)\` stores an explicit false; a trailing \`[confidence=0.9]\`, \`[ttl=3600]\` or \`[valid_until="2027-01-01T00:00:00Z"]\` sets metadata (combine with commas).
Example: \`works_at("Alice Smith", acme)\`. Use tell_many for several facts at once.`;

export function registerTellTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'tell',
    {
      title: 'Store a fact',
      description: DESCRIPTION,
      inputSchema: {
        fact: z.string().min(1).max(10_000).describe('One fact, e.g. `plan(acme, enterprise)`'),
        database: databaseArgument,
        tenant: tenantArgument,
      },
      outputSchema: { fact: factOutput },
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
        const fact = await clientFor(extra).tell({ ...scope, fact: args.fact }, extra.signal);
        return toolSuccess(
          { fact },
          `Stored ${fact.text} in database ${scope.database ?? 'default'}, tenant ${fact.tenant}.`,
        );
      }),
  );
}
