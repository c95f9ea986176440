import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './health.js';
import './principal.js';
import './database.js';
import './fact.js';
import './rule.js';
import './ask.js';
import './grant.js';
import './user.js';
import './api-key.js';
import './bootstrap.js';
import './audit.js';
import './session.js';

export type { RequestContext } from './context.js';

let schema: GraphQLSchema | undefined;

/** The whole public API; built once (the builder is module state). */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}
