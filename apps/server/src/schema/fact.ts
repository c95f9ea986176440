import {
  encodeFactCursor,
  listFacts,
  retract,
  tell,
  tellJson,
  tellMany,
} from '../knowledge/operations.js';
import type { FactView } from '../knowledge/views.js';
import { actorOf, authorizeTarget } from './actor.js';
import { builder } from './builder.js';
import './import.js';

export const FactRef = builder.objectRef<FactView>('Fact').implement({
  description: 'A stored fact with its validity window and provenance.',
  fields: (t) => ({
    tenant: t.exposeString('tenant'),
    predicate: t.exposeString('predicate'),
    args: t.field({ type: ['JSON'], resolve: (fact) => [...fact.args] }),
    negated: t.exposeBoolean('negated', { description: 'An explicit false (`not p(a)`).' }),
    confidence: t.float({ nullable: true, resolve: (fact) => fact.confidence ?? null }),
    validFrom: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (fact) => fact.validFrom ?? null,
    }),
    validUntil: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (fact) => fact.validUntil ?? null,
    }),
    assertedAt: t.field({ type: 'DateTime', resolve: (fact) => fact.assertedAt }),
    assertedBy: t.string({ nullable: true, resolve: (fact) => fact.assertedBy ?? null }),
    text: t.exposeString('text', { description: 'The fact in the text syntax.' }),
  }),
});

interface FactEdge {
  readonly cursor: string;
  readonly node: FactView;
}

interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

const FactEdgeRef = builder.objectRef<FactEdge>('FactEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: FactRef, resolve: (e) => e.node }),
  }),
});

const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const FactConnectionRef = builder
  .objectRef<{ edges: FactEdge[]; pageInfo: PageInfo }>('FactConnection')
  .implement({
    description: 'A page of facts (Relay cursor connection).',
    fields: (t) => ({
      edges: t.field({ type: [FactEdgeRef], resolve: (c) => c.edges }),
      nodes: t.field({ type: [FactRef], resolve: (c) => c.edges.map((e) => e.node) }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
    }),
  });

builder.queryField('facts', (t) =>
  t.field({
    type: FactConnectionRef,
    description: 'Facts visible now, optionally of one predicate, a page at a time.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      predicate: t.arg.string(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'facts', args);
      const page = listFacts(context.registry, actorOf(context), { ...args, ...target });
      const edges = page.facts.map((node, index) => ({
        node,
        cursor: encodeFactCursor(page.listing, page.offset + index),
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
);

builder.mutationField('tell', (t) =>
  t.field({
    type: FactRef,
    description:
      'Asserts one fact, e.g. `plan(acme, enterprise) [confidence=0.9]`; durable on return.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      fact: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'tell', args);
      return tell(context.registry, actorOf(context), target, args.fact);
    },
  }),
);

builder.mutationField('tellJson', (t) =>
  t.field({
    type: FactRef,
    description:
      'Asserts one fact in the JSON form, e.g. `{"predicate": "plan", "args": ["acme", "enterprise"], "confidence": 0.9}`; every string is a constant, so user text needs no escaping.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      fact: t.arg({ type: 'JSON', required: true }),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'tell', args);
      return tellJson(context.registry, actorOf(context), target, args.fact);
    },
  }),
);

const TellManyResultRef = builder.objectRef<{ facts: FactView[] }>('TellManyResult').implement({
  fields: (t) => ({
    count: t.int({ resolve: (r) => r.facts.length }),
    facts: t.field({ type: [FactRef], resolve: (r) => r.facts }),
  }),
});

builder.mutationField('tellMany', (t) =>
  t.field({
    type: TellManyResultRef,
    description: 'Asserts facts all-or-nothing in one durable operation.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      facts: t.arg.stringList({ required: true }),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'tellMany', args);
      return { facts: await tellMany(context.registry, actorOf(context), target, args.facts) };
    },
  }),
);

const RetractResultRef = builder.objectRef<{ retracted: number }>('RetractResult').implement({
  fields: (t) => ({
    retracted: t.exposeInt('retracted', { description: 'Facts the pattern matched and closed.' }),
  }),
});

builder.mutationField('retract', (t) =>
  t.field({
    type: RetractResultRef,
    description: 'Retracts every fact matching the pattern, e.g. `plan(acme, ?tier)`.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      pattern: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'retract', args);
      return { retracted: await retract(context.registry, actorOf(context), target, args.pattern) };
    },
  }),
);
