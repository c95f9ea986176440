import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { scopeOf, type ToolDependencies } from '../tool-context.js';
import { runTool, toolSuccess } from '../tool-result.js';
import { databaseArgument, tenantArgument } from './schemas.js';

const DESCRIPTION = `Ask Cairn a question answered by logical inference over the stored facts and taught rules.
The query is a comma-separated conjunction of atoms; variables start with "?".
Examples: \`plan(acme, ?tier)\` · \`ancestor(alice, ?who), not banned(?who)\` · \`age(?p, ?n), ?n > 30\`.
Returns every distinct binding of the variables (names without "?"). An empty list means "not known to be true", not "false".`;

/** `ask`: the read every agent starts with. */
export function registerAskTool(
  server: McpServer,
  { clientFor, defaults }: ToolDependencies,
): void {
  server.registerTool(
    'ask',
    {
      title: 'Ask a question',
      description: DESCRIPTION,
      inputSchema: {
        query: z.string().min(1).max(10_000).describe('The query, e.g. `ancestor(alice, ?who)`'),
        database: databaseArgument,
        tenant: tenantArgument,
        limit: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .optional()
          .describe(
            'At most this many answers (default: the server limit). `truncated` says if more exist.',
          ),
        proof: z
          .boolean()
          .optional()
          .describe(
            'Also return, per answer, the facts and rules that prove it (needs limit ≤ 100).',
          ),
      },
      outputSchema: {
        solutions: z
          .array(z.record(z.string(), z.unknown()))
          .describe('One object per answer: variable → value'),
        count: z.number().int().describe('Distinct answers, including any beyond limit'),
        truncated: z.boolean(),
        proofs: z.array(z.unknown()).nullable(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(async () => {
        const result = await clientFor(extra).ask(
          {
            ...scopeOf(args, defaults),
            query: args.query,
            ...(args.limit === undefined ? {} : { limit: args.limit }),
            ...(args.proof === undefined ? {} : { proof: args.proof }),
          },
          extra.signal,
        );
        const solutions = result.solutions as Record<string, unknown>[];
        return toolSuccess(
          {
            solutions,
            count: result.count,
            truncated: result.truncated,
            proofs: result.proofs ?? null,
          },
          describeAnswers(solutions, result.count, result.truncated),
        );
      }),
  );
}

function describeAnswers(
  solutions: readonly Record<string, unknown>[],
  count: number,
  truncated: boolean,
): string {
  if (count === 0) return 'No answers: nothing stored or derivable matches the query.';
  const lines = solutions.map((solution) => {
    const bindings = Object.entries(solution).map(
      ([name, value]) => `${name} = ${JSON.stringify(value)}`,
    );
    return bindings.length === 0 ? '- true' : `- ${bindings.join(', ')}`;
  });
  const heading = `${count} answer${count === 1 ? '' : 's'}${truncated ? ` (showing ${solutions.length})` : ''}:`;
  return [heading, ...lines].join('\n');
}
