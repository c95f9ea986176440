import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, ruleOutput } from './schemas.js';

const DESCRIPTION = `Teach Cairn a rule (a Horn clause) so that \`ask\` can derive new facts from stored ones. Rules belong to the database and apply to every tenant.
Syntax: \`head :- body1, body2, …\`; body items are atoms, \`not atom\`, or comparisons (\`?n > 5\`, \`?a != ?b\`). Every head variable must appear in a positive body atom.
Examples: \`ancestor(?x, ?y) :- parent(?x, ?y)\` · \`ancestor(?x, ?z) :- parent(?x, ?y), ancestor(?y, ?z)\`.
Recursion is fine; negation through recursion is refused with the cycle named.`;

export function registerTeachTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'teach',
    {
      title: 'Teach a rule',
      description: DESCRIPTION,
      inputSchema: {
        rule: z
          .string()
          .min(1)
          .max(10_000)
          .describe('One rule, e.g. `grandparent(?x, ?z) :- parent(?x, ?y), parent(?y, ?z)`'),
        database: databaseArgument,
      },
      outputSchema: { rule: ruleOutput },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    (args, extra) =>
      runTool(async () => {
        const database = args.database ?? defaults.database;
        const rule = await clientFor(extra).teach(
          { ...(database === undefined ? {} : { database }), rule: args.rule },
          extra.signal,
        );
        return toolSuccess({ rule }, `Taught rule ${rule.id}: ${rule.text}`);
      }),
  );
}
