import { CairnError } from '../errors.js';
import { bootstrapFirstUser } from '../identity/bootstrap/first-user.js';
import { IssuedApiKeyRef } from './api-key.js';
import { auditSourceOf, requireIdentity } from './audit.js';
import { builder } from './builder.js';

builder.mutationField('bootstrap', (t) =>
  t.field({
    type: IssuedApiKeyRef,
    description:
      'Creates the first user (a superuser, admin of tenant "default") and its first API key (admin, unscoped). Works once, while no user exists; afterwards FORBIDDEN.',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      keyName: t.arg.string({ required: true }),
    },
    // No authorize(): bootstrap has no principal to ask about; "no user exists yet" is its
    // whole rule, checked inside the transaction that creates the first one.
    resolve: async (_root, args, context) => {
      const identity = requireIdentity(context);
      const source = auditSourceOf(context);
      const outcome = await bootstrapFirstUser(identity.sql, identity.apiKeyHasher, args);
      if (!outcome.ok) {
        identity.audit.record({
          action: 'bootstrap',
          outcome: 'denied',
          ...source,
          details: { reason: outcome.reason },
        });
        throw new CairnError(
          'FORBIDDEN',
          'this server is already bootstrapped; log in or use an API key of an existing user',
        );
      }
      identity.audit.record({
        action: 'bootstrap',
        outcome: 'success',
        ...source,
        target: `user:${outcome.user.id}`,
        details: { username: outcome.user.username, keyId: outcome.issued.key.id },
      });
      return outcome.issued;
    },
  }),
);
