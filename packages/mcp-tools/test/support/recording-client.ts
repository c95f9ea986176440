import type { CairnClient } from '@cairn/client';

/**
 * A CairnClient that records each call and answers from a script. These tests are about the
 * tool layer (arguments → call, result → content, error → tool error); the tools against a real
 * Cairn server are proved in test/e2e/mcp-*.test.ts.
 */
export interface RecordedCall {
  readonly method: keyof CairnClient;
  readonly input: unknown;
}

export function createRecordingClient(answer: (call: RecordedCall) => unknown): {
  client: CairnClient;
  calls: RecordedCall[];
} {
  const calls: RecordedCall[] = [];
  const record =
    (method: keyof CairnClient) =>
    async (input?: unknown): Promise<never> => {
      const call = { method, input: typeof input === 'object' ? input : undefined };
      calls.push(call);
      return answer(call) as never;
    };
  const client: CairnClient = {
    ask: record('ask'),
    tell: record('tell'),
    tellMany: record('tellMany'),
    retract: record('retract'),
    teach: record('teach'),
    databases: record('databases'),
    predicates: record('predicates'),
    me: record('me'),
  };
  return { client, calls };
}
