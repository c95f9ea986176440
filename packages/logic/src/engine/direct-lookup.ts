import type { Literal, Value } from '../language/ast.js';
import type { ValueTable } from './interner.js';
import { MAX_INDEXED_COLUMNS } from './mask-index.js';
import type { Relation } from './relation.js';

/**
 * Answers a query that is one positive literal over stored facts straight from the relation's
 * hash index: the point-lookup path skips planning and evaluation entirely. Returns every
 * matching answer's tuple number; the caller projects them.
 */
export function lookupStored(
  literal: Literal,
  relation: Relation | undefined,
  interner: ValueTable,
): { readonly matches: number[]; readonly names: string[]; readonly columns: number[] } {
  const names: string[] = [];
  const columns: number[] = [];
  const key: number[] = [];
  const sameAs: Array<[number, number]> = [];
  const constants: Array<[number, number]> = [];
  let mask = 0;
  let impossible = false;
  literal.atom.args.forEach((term, column) => {
    if (term.kind === 'const') {
      const id = interner.find(term.value);
      if (id < 0) impossible = true;
      if (column >= MAX_INDEXED_COLUMNS) constants.push([column, id]);
      else {
        mask |= 1 << column;
        key.push(id);
      }
      return;
    }
    const first = names.indexOf(term.name);
    if (first >= 0) sameAs.push([column, columns[first] as number]);
    else {
      names.push(term.name);
      columns.push(column);
    }
  });
  const matches: number[] = [];
  if (relation === undefined || impossible) return { matches, names, columns };
  const arity = relation.arity;
  const accept = (t: number): void => {
    const base = t * arity;
    for (const [c, id] of constants) if (relation.data[base + c] !== id) return;
    for (const [c, first] of sameAs)
      if (relation.data[base + c] !== relation.data[base + first]) return;
    matches.push(t);
  };
  const full = arity === 0 ? 0 : arity <= MAX_INDEXED_COLUMNS ? 2 ** arity - 1 : -1;
  if (mask === full) {
    const t = relation.find(Int32Array.from(key));
    if (t >= 0) accept(t);
  } else if (mask === 0) {
    for (let t = 0; t < relation.size; t++) accept(t);
  } else {
    const index = relation.index(mask);
    const found: number[] = [];
    for (
      let t = index.first(relation.data, Int32Array.from(key));
      t >= 0;
      t = index.next[t] as number
    )
      found.push(t);
    // Chains run newest first; answers are listed in insertion order like every other path.
    for (let i = found.length - 1; i >= 0; i--) accept(found[i] as number);
  }
  return { matches, names, columns };
}

export function projectAnswer(
  relation: Relation,
  t: number,
  names: readonly string[],
  columns: readonly number[],
  interner: ValueTable,
): Record<string, Value> {
  const out: Record<string, Value> = {};
  const base = t * relation.arity;
  for (let i = 0; i < names.length; i++)
    out[names[i] as string] = interner.value(
      relation.data[base + (columns[i] as number)] as number,
    );
  return out;
}
