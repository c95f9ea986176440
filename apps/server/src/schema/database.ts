import { DEFAULT_TENANT } from '@cairn/logic';
import type { KnowledgeDatabase } from '../databases/knowledge-database.js';
import { parseDatabaseName } from '../databases/names.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';

/** Tenants of `database` whose facts the caller may read: the others are not theirs to know. */
async function readableTenants(context: RequestContext, database: KnowledgeDatabase) {
  const tenants: string[] = [];
  for (const tenant of database.knowledge.tenants()) {
    if (await context.authorize.allows('facts', { database: database.name, tenant })) {
      tenants.push(tenant);
    }
  }
  return tenants;
}

/** Whether the caller may read `database` in its own tenant or any tenant it can read there. */
async function isReadable(context: RequestContext, database: KnowledgeDatabase) {
  const own = context.principal.tenant ?? DEFAULT_TENANT;
  if (await context.authorize.allows('ask', { database: database.name, tenant: own })) return true;
  return (await readableTenants(context, database)).length > 0;
}

export const DatabaseRef = builder.objectRef<KnowledgeDatabase>('Database').implement({
  description: 'An independent knowledge base with its own rules, facts and data key.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.field({ type: 'DateTime', resolve: (db) => db.createdAt }),
    rules: t.int({ description: 'Rules taught.', resolve: (db) => db.knowledge.rules().length }),
    tenants: t.stringList({
      description: 'Tenants that hold facts, among those the caller may read.',
      resolve: (db, _args, context) => readableTenants(context, db),
    }),
    lastSequence: t.float({
      description: 'Sequence number of the last operation applied (durable in the log).',
      resolve: (db) => db.lastSequence,
    }),
  }),
});

builder.queryField('databases', (t) =>
  t.field({
    type: [DatabaseRef],
    description: 'The databases the caller may read.',
    resolve: async (_root, _args, context) => {
      await context.authorize('databases');
      const readable: KnowledgeDatabase[] = [];
      for (const database of context.registry.list()) {
        if (await isReadable(context, database)) readable.push(database);
      }
      return readable;
    },
  }),
);

builder.mutationField('createDatabase', (t) =>
  t.field({
    type: DatabaseRef,
    description: 'Creates a database and its data key.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const database = parseDatabaseName(args.name, 'name');
      await context.authorize('createDatabase', { database });
      return context.registry.create(database);
    },
  }),
);

builder.mutationField('deleteDatabase', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Deletes a database: its data key is destroyed and its files removed.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const database = parseDatabaseName(args.name, 'name');
      await context.authorize('deleteDatabase', { database });
      await context.registry.delete(database);
      return true;
    },
  }),
);
