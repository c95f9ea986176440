import { importFacts } from '../knowledge/import-facts.js';
import { actorOf, authorizeTarget } from './actor.js';
import { builder } from './builder.js';

const ImportResultRef = builder
  .objectRef<{ database: string; tenant: string; count: number }>('ImportResult')
  .implement({
    fields: (t) => ({
      database: t.exposeString('database'),
      tenant: t.exposeString('tenant'),
      count: t.exposeInt('count', { description: 'Facts asserted, all in one operation.' }),
    }),
  });

builder.mutationField('importFacts', (t) =>
  t.field({
    type: ImportResultRef,
    description:
      'Asserts the facts of a server-side file (one per line, text syntax) found under IMPORT_DIR; needs ACCEPT_LOCAL_FILE_PATH=true. All-or-nothing; errors name line and column.',
    args: {
      database: t.arg.string(),
      tenant: t.arg.string(),
      path: t.arg.string({ required: true, description: 'Relative to IMPORT_DIR.' }),
    },
    resolve: async (_root, args, context) => {
      const target = await authorizeTarget(context, 'importFacts', args);
      return importFacts(
        context.registry,
        actorOf(context),
        target,
        args.path,
        context.knowledge.import,
      );
    },
  }),
);
