import type { KnowledgeDatabase } from '../databases/knowledge-database.js';
import { builder } from './builder.js';

export const DatabaseRef = builder.objectRef<KnowledgeDatabase>('Database').implement({
  description: 'An independent knowledge base with its own rules, facts and data key.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.field({ type: 'DateTime', resolve: (db) => db.createdAt }),
    rules: t.int({ description: 'Rules taught.', resolve: (db) => db.knowledge.rules().length }),
    tenants: t.stringList({
      description: 'Tenants that hold facts.',
      resolve: (db) => db.knowledge.tenants(),
    }),
    lastSequence: t.float({
      description: 'Sequence number of the last operation applied (durable in the log).',
      resolve: (db) => db.lastSequence,
    }),
  }),
});

builder.queryField('databases', (t) =>
  t.field({ type: [DatabaseRef], resolve: (_root, _args, context) => context.registry.list() }),
);

builder.mutationField('createDatabase', (t) =>
  t.field({
    type: DatabaseRef,
    description: 'Creates a database and its data key.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => context.registry.create(args.name),
  }),
);

builder.mutationField('deleteDatabase', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Deletes a database: its data key is destroyed and its files removed.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      await context.registry.delete(args.name);
      return true;
    },
  }),
);
