import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

/**
 * The `graphql()` tag typed by the API's schema (`schema.graphql`, introspected into
 * `graphql-env.ts` by `pnpm generate`): a document that names a field the API does not have,
 * or passes a variable of the wrong type, fails to compile.
 */
export const graphql = initGraphQLTada<{
  introspection: typeof introspection;
  scalars: {
    /** ISO-8601 with a timezone. */
    DateTime: string;
    JSON: unknown;
  };
}>();

export type { FragmentOf, ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
