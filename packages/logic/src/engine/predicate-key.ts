import type { Atom } from '../language/ast.js';

/** Predicates are identified by name and arity: `p/1` and `p/2` are different relations. */
export function predicateKey(atom: Atom): string {
  return `${atom.predicate}/${atom.args.length}`;
}
