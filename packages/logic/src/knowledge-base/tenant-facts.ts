import type { Interner } from '../engine/interner.js';
import { LogicError } from '../errors.js';
import type { Atom, Fact, Term } from '../language/ast.js';
import type { FactRecord } from './fact-record.js';
import { PredicateStore } from './predicate-store.js';

/** The facts of one tenant, one store per predicate key (`name/arity`). */
export class TenantFacts {
  readonly predicates = new Map<string, PredicateStore>();
  // Batches usually repeat one predicate: skip building and hashing its key for each fact.
  private last: PredicateStore | undefined;

  store(name: string, arity: number): PredicateStore {
    const last = this.last;
    if (last !== undefined && last.name === name && last.arity === arity) return last;
    const key = `${name}/${arity}`;
    let store = this.predicates.get(key);
    if (store === undefined) {
      store = new PredicateStore(name, arity);
      this.predicates.set(key, store);
    }
    this.last = store;
    return store;
  }

  /** Drops a predicate's store (compaction emptied it). */
  forget(key: string): void {
    this.predicates.delete(key);
    this.last = undefined;
  }

  assert(fact: Fact, interner: Interner, at: number, by: string | undefined): void {
    const args = fact.atom.args;
    let ids: number[];
    if (args.length === 2) {
      // Most facts are binary: a literal gives a packed array of the exact size.
      ids = [internArgument(args[0] as Term, interner), internArgument(args[1] as Term, interner)];
    } else {
      ids = new Array(args.length);
      for (let i = 0; i < args.length; i++) ids[i] = internArgument(args[i] as Term, interner);
    }
    let validUntil = fact.validUntil;
    if (fact.ttlSeconds !== undefined) {
      const expiry = at + fact.ttlSeconds * 1000;
      validUntil = validUntil === undefined ? expiry : Math.min(validUntil, expiry);
    }
    // One object shape for every record keeps property access monomorphic.
    const record: FactRecord = {
      ids,
      confidence: fact.confidence,
      validFrom: fact.validFrom ?? at,
      validUntil,
      at,
      by,
    };
    const store = this.store(fact.atom.predicate, ids.length);
    if (fact.negated) store.assertNegative(record, at);
    else store.assertPositive(record, at, fact.validFrom !== undefined);
  }

  retract(pattern: Atom, interner: Interner, at: number): number {
    const store = this.predicates.get(`${pattern.predicate}/${pattern.args.length}`);
    if (store === undefined) return 0;
    const constants: Array<[number, number]> = [];
    const firstSeen = new Map<string, number>();
    const sameAs: Array<[number, number]> = [];
    for (const [column, term] of pattern.args.entries()) {
      if (term.kind === 'const') {
        const id = interner.find(term.value);
        if (id < 0) return 0;
        constants.push([column, id]);
      } else {
        const first = firstSeen.get(term.name);
        if (first === undefined) firstSeen.set(term.name, column);
        else sameAs.push([column, first]);
      }
    }
    return store.retract(
      (ids) =>
        constants.every(([c, id]) => ids[c] === id) &&
        sameAs.every(([c, first]) => ids[c] === ids[first]),
      at,
    );
  }
}

function internArgument(term: Term, interner: Interner): number {
  if (term.kind !== 'const') throw new LogicError('NOT_GROUND', 'facts must be ground');
  return interner.intern(term.value);
}
