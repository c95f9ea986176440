import { forgetRule, listRules, teach } from '../knowledge/operations.js';
import type { RuleView } from '../knowledge/views.js';
import { actorOf } from './actor.js';
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
    resolve: (_root, args, context) => listRules(context.registry, actorOf(context), args),
  }),
);

builder.mutationField('teach', (t) =>
  t.field({
    type: RuleRef,
    description:
      'Teaches a rule, e.g. `ancestor(?x, ?y) :- parent(?x, ?y)`; refused if unsafe or unstratifiable.',
    args: { database: t.arg.string(), rule: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => teach(context.registry, actorOf(context), args, args.rule),
  }),
);

builder.mutationField('forgetRule', (t) =>
  t.field({
    type: 'Boolean',
    args: { database: t.arg.string(), id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      forgetRule(context.registry, actorOf(context), args, String(args.id)),
  }),
);
