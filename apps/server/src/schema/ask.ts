import type { PredicateInfo } from '@cairn/logic';
import { ask, listPredicates } from '../knowledge/operations.js';
import { toProofJson } from '../knowledge/views.js';
import { actorOf, authorizeTarget } from './actor.js';
import { builder } from './builder.js';

interface AskResultView {
  readonly solutions: unknown[];
  readonly count: number;
  readonly truncated: boolean;
  readonly proofs: unknown[] | null;
}

const AskResultRef = builder.objectRef<AskResultView>('AskResult').implement({
  fields: (t) => ({
    solutions: t.field({
      type: ['JSON'],
      description: 'Each solution maps variable names (without "?") to values.',
      resolve: (r) => r.solutions,
    }),
    count: t.exposeInt('count', { description: 'Distinct answers, including any beyond limit.' }),
    truncated: t.exposeBoolean('truncated'),
    proofs: t.field({ type: ['JSON'], nullable: true, resolve: (r) => r.proofs }),
  }),
});

builder.queryField('ask', (t) =>
  t.field({
    type: AskResultRef,
    description: 'Answers a query such as `ancestor(alice, ?who), not banned(?who)` by inference.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      query: t.arg.string({ required: true }),
      limit: t.arg.int(),
      proof: t.arg.boolean(),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'ask', args);
      const result = ask(
        context.registry,
        actorOf(context),
        { ...args, ...target },
        context.knowledge,
      );
      return {
        solutions: result.solutions,
        count: result.count,
        truncated: result.truncated,
        proofs: result.proofs?.map(toProofJson) ?? null,
      };
    },
  }),
);

const PredicateInfoRef = builder.objectRef<PredicateInfo>('PredicateInfo').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    arity: t.exposeInt('arity'),
    facts: t.exposeInt('facts', { description: 'Stored facts, all versions, in the tenant.' }),
    derived: t.exposeBoolean('derived', { description: 'Whether rules derive it.' }),
  }),
});

builder.queryField('predicates', (t) =>
  t.field({
    type: [PredicateInfoRef],
    args: { database: t.arg.string(), tenant: t.arg.string() },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'predicates', args);
      return listPredicates(context.registry, actorOf(context), target);
    },
  }),
);
