import type { Principal } from '../auth/principal.js';
import { builder } from './builder.js';

const PrincipalRef = builder.objectRef<Principal>('Principal').implement({
  description: 'Who a request acts as.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', {
      description: '"local" (authentication disabled) or "shared-api-key" (legacy API_KEY mode).',
    }),
    tenant: t.exposeString('tenant', { nullable: true }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: PrincipalRef,
    nullable: true,
    resolve: (_root, _args, context) => context.principal,
  }),
);
