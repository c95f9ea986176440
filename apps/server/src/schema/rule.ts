import { forgetRule, listRules, teach } from '../knowledge/operations.js';
import type { RuleView } from '../knowledge/views.js';
import { actorOf, authorizeDatabaseTarget } from './actor.js';
import { builder } from './builder.js';

const RuleRef = builder.objectRef<RuleView>('Rule').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    head: t.exposeString('head'),
    text: t.exposeString('text', { description: 'The rule in the text syntax.' }),
    taughtAt: t.field({ type: 'DateTime', resolve: (rule) => rule.taughtAt }),
    taughtBy: t.string({ nullable: true, resolve: (rule) => rule.taughtBy ?? null }),
  }),
});

builder.queryField('rules', (t) =>
  t.field({
    type: [RuleRef],
    args: { database: t.arg.string() },
    resolve: async (_root, args, context) => {
      const target = await authorizeDatabaseTarget(context, 'rules', args);
      return listRules(context.registry, actorOf(context), target);
    },
  }),
);

builder.mutationField('teach', (t) =>
  t.field({
    type: RuleRef,
    description:
      'Teaches a rule, e.g. `ancestor(?x, ?y) :- parent(?x, ?y)`; refused if unsafe or unstratifiable.',
    args: { database: t.arg.string(), rule: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const target = await authorizeDatabaseTarget(context, 'teach', args);
      return teach(context.registry, actorOf(context), target, args.rule);
    },
  }),
);

builder.mutationField('forgetRule', (t) =>
  t.field({
    type: 'Boolean',
    args: { database: t.arg.string(), id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const target = await authorizeDatabaseTarget(context, 'forgetRule', args);
      return forgetRule(context.registry, actorOf(context), target, String(args.id));
    },
  }),
);
