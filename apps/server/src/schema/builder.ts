import SchemaBuilder from '@pothos/core';
import type { RequestContext } from './context.js';

export interface CairnSchemaTypes {
  Context: RequestContext;
  // Fields are non-null unless they say otherwise, as in DESIGN §6.
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date };
  };
}

export const builder = new SchemaBuilder<CairnSchemaTypes>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
