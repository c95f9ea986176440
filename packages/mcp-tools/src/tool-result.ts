import { isCairnClientError } from '@cairn/client';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool's answer twice: structured for programs, as text for the model reading it. */
export function toolSuccess(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/**
 * An API refusal becomes an MCP tool error carrying the API's code and message (and the
 * position of a syntax error), so the model can correct its call. Anything else is reported
 * without detail: never a stack trace or an internal message.
 */
export function toolFailure(error: unknown): CallToolResult {
  if (isCairnClientError(error)) {
    const position =
      error.line !== undefined && error.column !== undefined
        ? ` (line ${error.line}, column ${error.column}${error.argument === undefined ? '' : ` of ${error.argument}`})`
        : '';
    return {
      isError: true,
      content: [{ type: 'text', text: `${error.code}: ${error.message}${position}` }],
      structuredContent: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.line === undefined ? {} : { line: error.line }),
          ...(error.column === undefined ? {} : { column: error.column }),
          ...(error.argument === undefined ? {} : { argument: error.argument }),
        },
      },
    };
  }
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: 'INTERNAL: the tool failed unexpectedly; nothing was changed by this message',
      },
    ],
    structuredContent: { error: { code: 'INTERNAL', message: 'the tool failed unexpectedly' } },
  };
}

/** Runs a tool body; every failure becomes a tool error result instead of a protocol error. */
export async function runTool(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolFailure(error);
  }
}
