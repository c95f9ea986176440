import { builder } from './builder.js';

interface Health {
  readonly status: string;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly databases: number;
}

const HealthRef = builder.objectRef<Health>('Health').implement({
  description: 'Liveness of this server (readiness is GET /health/ready).',
  fields: (t) => ({
    status: t.exposeString('status'),
    version: t.exposeString('version'),
    uptimeSeconds: t.exposeFloat('uptimeSeconds'),
    databases: t.exposeInt('databases', { description: 'Databases open on this server.' }),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    resolve: (_root, _args, context) => ({
      status: 'ok',
      version: context.version,
      uptimeSeconds: (Date.now() - context.startedAt) / 1000,
      databases: context.registry.list().length,
    }),
  }),
);
