import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { scopeOf, type ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, tenantArgument } from './schemas.js';

const DESCRIPTION = `Retract (forget) every stored fact matching a pattern. Variables match anything: \`plan(acme, ?tier)\` retracts acme's plan whatever it is; \`plan(?c, ?t)\` retracts every plan fact of the tenant.
History is kept for audit, but retracted facts no longer answer \`ask\`. Returns how many facts matched.`;

export function registerRetractTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'retract',
    {
      title: 'Retract facts',
      description: DESCRIPTION,
      inputSchema: {
        pattern: z
          .string()
          .min(1)
          .max(10_000)
          .describe('An atom, possibly with ?variables, e.g. `plan(acme, ?tier)`'),
        database: databaseArgument,
        tenant: tenantArgument,
      },
      outputSchema: {
        retracted: z.number().int().describe('Facts the pattern matched and closed'),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    (args, extra) =>
      runTool(async () => {
        const result = await clientFor(extra).retract(
          { ...scopeOf(args, defaults), pattern: args.pattern },
          extra.signal,
        );
        return toolSuccess(
          { retracted: result.retracted },
          `Retracted ${result.retracted} fact${result.retracted === 1 ? '' : 's'} matching ${args.pattern}.`,
        );
      }),
  );
}
