import { CairnError } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import { sessionsFor } from '../identity/sessions/create-session-service.js';
import type { Session } from '../identity/sessions/session-service.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';

const SessionRef = builder.objectRef<Session>('Session').implement({
  description:
    'A login: a short-lived access token (send it as `Authorization: Bearer …`) and a refresh token that obtains the next one.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', {
      description: 'A signed JWT (EdDSA, typ at+jwt); its keys are at /.well-known/jwks.json.',
    }),
    refreshToken: t.exposeString('refreshToken', {
      description:
        'Opaque and single-use: refreshSession spends it and returns the next one. Using a spent one ends the session.',
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When the access token expires.',
      resolve: (session) => session.expiresAt,
    }),
  }),
});

function managedIdentity(context: RequestContext): Identity {
  if (context.identity === undefined) {
    throw new CairnError(
      'BAD_USER_INPUT',
      'login needs AUTH_ENABLED=true (managed mode); this server runs without user accounts',
    );
  }
  return context.identity;
}

const requestOf = (context: RequestContext) => ({
  clientAddress: context.clientAddress,
  requestId: context.requestId,
});

builder.mutationField('login', (t) =>
  t.field({
    type: SessionRef,
    description:
      'Logs in with a username and password. Every refusal says "invalid username or password".',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: (_root, args, context) =>
      sessionsFor(managedIdentity(context)).login(args.username, args.password, requestOf(context)),
  }),
);

builder.mutationField('refreshSession', (t) =>
  t.field({
    type: SessionRef,
    description: 'Trades a refresh token for a new session; the token presented is spent.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, context) =>
      sessionsFor(managedIdentity(context)).refreshSession(args.refreshToken, requestOf(context)),
  }),
);

builder.mutationField('logout', (t) =>
  t.field({
    type: 'Boolean',
    description:
      'Ends the session the refresh token belongs to; false when the token is not known.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, context) =>
      sessionsFor(managedIdentity(context)).logout(args.refreshToken, requestOf(context)),
  }),
);
