import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { CairnError, createErrorResponse, toGraphQLError } from '../../errors.js';
import type { RequestStates } from '../request-state.js';

/** What a caller without a credential may do: obtain one. */
export const ANONYMOUS_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'login',
  'refreshSession',
  'logout',
  'bootstrap',
  '__typename',
]);

export interface AnonymousGateOptions {
  readonly states: RequestStates;
  readonly graphqlEndpoint: string;
  readonly allowedRootFields?: ReadonlySet<string>;
}

const REQUIRED_MESSAGE =
  'authentication required: send an API key or access token in Authorization: Bearer (or X-API-Key)';

/**
 * Managed mode lets a request without a credential through authentication as the anonymous
 * principal, so that it can log in or bootstrap. This gate makes that the only thing it can
 * do: any other root field (introspection included) is a 401 before anything executes, and
 * every other protected path (/metrics) is a 401 at once.
 */
export function useAnonymousGate({
  states,
  graphqlEndpoint,
  allowedRootFields = ANONYMOUS_ROOT_FIELDS,
}: AnonymousGateOptions): Plugin {
  const isAnonymous = (request: Request) => states.get(request)?.principal?.kind === 'anonymous';
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint && isAnonymous(request)) {
        endResponse(createErrorResponse(new CairnError('UNAUTHENTICATED', REQUIRED_MESSAGE)));
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      if (request === undefined || !isAnonymous(request)) return;
      const fields = rootFieldNames(args.document, args.operationName ?? undefined);
      if (fields?.every((name) => allowedRootFields.has(name))) return;
      setResultAndStopExecution({
        errors: [toGraphQLError(new CairnError('UNAUTHENTICATED', REQUIRED_MESSAGE))],
      });
    },
  };
}

/**
 * Names of the root fields the operation selects, through fragments; undefined when the
 * operation cannot be determined (GraphQL execution would refuse it anyway).
 */
export function rootFieldNames(
  document: DocumentNode,
  operationName: string | undefined,
): string[] | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName === undefined
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (operation === undefined) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const names: string[] = [];
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!collect(selection.selectionSet)) return false;
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments.get(name);
        if (fragment === undefined || !collect(fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  return collect(operation.selectionSet) ? names : undefined;
}
