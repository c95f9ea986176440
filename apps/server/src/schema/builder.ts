import SchemaBuilder from '@pothos/core';
import type { RequestContext } from './context.js';

export interface CairnSchemaTypes {
  Context: RequestContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date };
  };
}

export const builder = new SchemaBuilder<CairnSchemaTypes>({});

builder.queryType({});
builder.mutationType({});
