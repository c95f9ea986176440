import type { ResultOf } from 'gql.tada';
import type { GraphqlExecutor } from './executor.js';
import { ASK, DATABASES, ME, PREDICATES, RETRACT, TEACH, TELL, TELL_MANY } from './operations.js';

/** Where an operation acts: omitted fields take the API's defaults ("default", the caller's tenant). */
export interface Scope {
  readonly database?: string;
  readonly tenant?: string;
}

export interface AskInput extends Scope {
  /** e.g. `ancestor(alice, ?who), not banned(?who)` */
  readonly query: string;
  readonly limit?: number;
  readonly proof?: boolean;
}

export type AskResult = ResultOf<typeof ASK>['ask'];
export type Fact = ResultOf<typeof TELL>['tell'];
export type TellManyResult = ResultOf<typeof TELL_MANY>['tellMany'];
export type RetractResult = ResultOf<typeof RETRACT>['retract'];
export type Rule = ResultOf<typeof TEACH>['teach'];
export type DatabaseSummary = ResultOf<typeof DATABASES>['databases'][number];
export type PredicateSummary = ResultOf<typeof PREDICATES>['predicates'][number];
export type Caller = ResultOf<typeof ME>['me'];

/** The Cairn API's knowledge operations, each one typed from the schema. */
export interface CairnClient {
  ask(input: AskInput, signal?: AbortSignal): Promise<AskResult>;
  tell(input: Scope & { readonly fact: string }, signal?: AbortSignal): Promise<Fact>;
  tellMany(
    input: Scope & { readonly facts: readonly string[] },
    signal?: AbortSignal,
  ): Promise<TellManyResult>;
  retract(
    input: Scope & { readonly pattern: string },
    signal?: AbortSignal,
  ): Promise<RetractResult>;
  teach(
    input: { readonly database?: string; readonly rule: string },
    signal?: AbortSignal,
  ): Promise<Rule>;
  databases(signal?: AbortSignal): Promise<readonly DatabaseSummary[]>;
  predicates(input?: Scope, signal?: AbortSignal): Promise<readonly PredicateSummary[]>;
  me(signal?: AbortSignal): Promise<Caller>;
}

// GraphQL treats a missing variable and a null one alike here; JSON drops undefined anyway.
const scope = (input: Scope) => ({
  database: input.database ?? null,
  tenant: input.tenant ?? null,
});
const withSignal = (idempotent: boolean, signal: AbortSignal | undefined) =>
  signal === undefined ? { idempotent } : { idempotent, signal };

export function createCairnClient(executor: GraphqlExecutor): CairnClient {
  return {
    async ask(input, signal) {
      const data = await executor.execute(
        ASK,
        {
          ...scope(input),
          query: input.query,
          limit: input.limit ?? null,
          proof: input.proof ?? null,
        },
        withSignal(true, signal),
      );
      return data.ask;
    },
    async tell(input, signal) {
      const data = await executor.execute(
        TELL,
        { ...scope(input), fact: input.fact },
        withSignal(false, signal),
      );
      return data.tell;
    },
    async tellMany(input, signal) {
      const data = await executor.execute(
        TELL_MANY,
        { ...scope(input), facts: [...input.facts] },
        withSignal(false, signal),
      );
      return data.tellMany;
    },
    async retract(input, signal) {
      const data = await executor.execute(
        RETRACT,
        { ...scope(input), pattern: input.pattern },
        withSignal(false, signal),
      );
      return data.retract;
    },
    async teach(input, signal) {
      const data = await executor.execute(
        TEACH,
        { database: input.database ?? null, rule: input.rule },
        withSignal(false, signal),
      );
      return data.teach;
    },
    async databases(signal) {
      const data = await executor.execute(DATABASES, {}, withSignal(true, signal));
      return data.databases;
    },
    async predicates(input = {}, signal) {
      const data = await executor.execute(PREDICATES, scope(input), withSignal(true, signal));
      return data.predicates;
    },
    async me(signal) {
      const data = await executor.execute(ME, {}, withSignal(true, signal));
      return data.me;
    },
  };
}
