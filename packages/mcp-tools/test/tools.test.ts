import { CairnClientError } from '@cairn/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, test } from 'vitest';
import { CAIRN_TOOL_NAMES, createCairnMcpServer } from '../src/index.js';
import { createRecordingClient, type RecordedCall } from './support/recording-client.js';

const FACT = {
  text: 'plan(acme, enterprise).',
  predicate: 'plan',
  args: ['acme', 'enterprise'],
  negated: false,
  tenant: 'default',
  confidence: null,
  validFrom: null,
  validUntil: null,
  assertedAt: '2026-11-23T11:00:00.000Z',
  assertedBy: 'shared-api-key',
};

async function connect(answer: (call: RecordedCall) => unknown, defaults = {}) {
  const { client: cairn, calls } = createRecordingClient(answer);
  const server = createCairnMcpServer({ clientFor: () => cairn, defaults, version: '0.0.0-test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  return { client, calls, close: () => client.close() };
}

describe('the Cairn tools', () => {
  test('are listed with descriptions and input and output schemas', async () => {
    const { client, close } = await connect(() => undefined);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([...CAIRN_TOOL_NAMES].sort());
      for (const tool of tools) {
        expect(tool.description?.length).toBeGreaterThan(60);
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
      }
      const ask = tools.find((tool) => tool.name === 'ask');
      expect(ask?.inputSchema.required).toEqual(['query']);
      expect(ask?.annotations?.readOnlyHint).toBe(true);
      expect(tools.find((tool) => tool.name === 'retract')?.annotations?.destructiveHint).toBe(
        true,
      );
    } finally {
      await close();
    }
  });

  test('ask sends the call with the configured defaults and answers as structure and text', async () => {
    const { client, calls, close } = await connect(
      () => ({
        solutions: [{ who: 'bob' }, { who: 'carol' }],
        count: 2,
        truncated: false,
        proofs: null,
      }),
      { database: 'family', tenant: 't1' },
    );
    try {
      const result = await client.callTool({
        name: 'ask',
        arguments: { query: 'ancestor(alice, ?who)', limit: 5 },
      });
      expect(calls).toEqual([
        {
          method: 'ask',
          input: { database: 'family', tenant: 't1', query: 'ancestor(alice, ?who)', limit: 5 },
        },
      ]);
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({
        solutions: [{ who: 'bob' }, { who: 'carol' }],
        count: 2,
        truncated: false,
        proofs: null,
      });
      expect(result.content).toEqual([
        { type: 'text', text: '2 answers:\n- who = "bob"\n- who = "carol"' },
      ]);
    } finally {
      await close();
    }
  });

  test('an argument overrides the default; tell reports where the fact went', async () => {
    const { client, calls, close } = await connect(() => FACT, { database: 'family' });
    try {
      const result = await client.callTool({
        name: 'tell',
        arguments: { fact: 'plan(acme, enterprise)', database: 'crm' },
      });
      expect(calls[0]?.input).toEqual({ database: 'crm', fact: 'plan(acme, enterprise)' });
      expect(result.structuredContent).toEqual({ fact: FACT });
      expect(result.content).toEqual([
        { type: 'text', text: 'Stored plan(acme, enterprise). in database crm, tenant default.' },
      ]);
    } finally {
      await close();
    }
  });

  test("an API error becomes a tool error with the API's code, message and position", async () => {
    const { client, close } = await connect(() => {
      throw new CairnClientError('BAD_USER_INPUT', 'expected ")"', {
        line: 1,
        column: 9,
        argument: 'facts[1]',
      });
    });
    try {
      const result = await client.callTool({
        name: 'tell_many',
        arguments: { facts: ['p(a)', 'p(b'] },
      });
      expect(result.isError).toBe(true);
      expect(result.content).toEqual([
        { type: 'text', text: 'BAD_USER_INPUT: expected ")" (line 1, column 9 of facts[1])' },
      ]);
      expect(result.structuredContent).toEqual({
        error: {
          code: 'BAD_USER_INPUT',
          message: 'expected ")"',
          line: 1,
          column: 9,
          argument: 'facts[1]',
        },
      });
    } finally {
      await close();
    }
  });

  test('FORBIDDEN from the API reaches the model as FORBIDDEN', async () => {
    const { client, close } = await connect(() => {
      throw new CairnClientError('FORBIDDEN', 'the reader role may not write to database default');
    });
    try {
      const result = await client.callTool({ name: 'retract', arguments: { pattern: 'p(?x)' } });
      expect(result).toMatchObject({
        isError: true,
        content: [
          { type: 'text', text: 'FORBIDDEN: the reader role may not write to database default' },
        ],
      });
    } finally {
      await close();
    }
  });

  test('an unexpected failure is reported without its message or stack', async () => {
    const { client, close } = await connect(() => {
      throw new Error(
        'connect ECONNREFUSED /var/run/secret.sock at Object.<anonymous> (file.ts:1:1)',
      );
    });
    try {
      const result = await client.callTool({ name: 'list_databases', arguments: {} });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|secret|file\.ts/);
      expect(result.structuredContent).toEqual({
        error: { code: 'INTERNAL', message: 'the tool failed unexpectedly' },
      });
    } finally {
      await close();
    }
  });

  test('bad arguments are refused before the API is called', async () => {
    const { client, calls, close } = await connect(() => undefined);
    try {
      const result = await client.callTool({ name: 'tell_many', arguments: { facts: [] } });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('facts');
      expect(calls).toEqual([]);
    } finally {
      await close();
    }
  });

  test('teach, retract, list_predicates and list_databases answer with structure and text', async () => {
    const rule = {
      id: 'r1',
      head: 'a(?x)',
      text: 'a(?x) :- b(?x).',
      taughtAt: FACT.assertedAt,
      taughtBy: null,
    };
    const { client, close } = await connect((call) => {
      switch (call.method) {
        case 'teach':
          return rule;
        case 'retract':
          return { retracted: 3 };
        case 'predicates':
          return [{ name: 'a', arity: 1, facts: 0, derived: true }];
        default:
          return [
            {
              name: 'default',
              createdAt: FACT.assertedAt,
              rules: 1,
              tenants: ['default'],
              lastSequence: 4,
            },
          ];
      }
    });
    try {
      const taught = await client.callTool({
        name: 'teach',
        arguments: { rule: 'a(?x) :- b(?x)' },
      });
      expect(taught.structuredContent).toEqual({ rule });
      const retracted = await client.callTool({ name: 'retract', arguments: { pattern: 'b(?x)' } });
      expect(retracted.content).toEqual([
        { type: 'text', text: 'Retracted 3 facts matching b(?x).' },
      ]);
      const predicates = await client.callTool({ name: 'list_predicates', arguments: {} });
      expect(predicates.content).toEqual([
        { type: 'text', text: '- a/1: 0 facts, derived by rules' },
      ]);
      const databases = await client.callTool({ name: 'list_databases', arguments: {} });
      expect(databases.content).toEqual([
        { type: 'text', text: '- default: 1 rule, tenants default' },
      ]);
    } finally {
      await close();
    }
  });
});

test('a default database that is not a valid name is refused at setup', () => {
  const { client } = createRecordingClient(() => undefined);
  expect(() =>
    createCairnMcpServer({ clientFor: () => client, defaults: { database: 'a b' }, version: '0' }),
  ).toThrow('the default database "a b" is not a valid name');
});
