import type { BodyItem, Term } from '../language/ast.js';

function isBound(term: Term, bound: ReadonlySet<string>): boolean {
  return term.kind === 'const' || bound.has(term.name);
}

/**
 * Sideways information passing: orders a body so that each positive literal is joined with as
 * many bound arguments as possible (which also decides the magic-set adornments), and places
 * every filter (comparison, negation) as soon as all of its variables are bound.
 * Ties keep the author's order, so rule authors can still steer the plan.
 */
export function orderBody(
  body: readonly BodyItem[],
  initiallyBound: ReadonlySet<string>,
): BodyItem[] {
  const bound = new Set(initiallyBound);
  const remaining = [...body];
  const ordered: BodyItem[] = [];
  const placeFilters = (): void => {
    for (let i = 0; i < remaining.length; ) {
      const item = remaining[i] as BodyItem;
      const terms =
        item.kind === 'compare'
          ? [item.left, item.right]
          : item.negated
            ? item.atom.args
            : undefined;
      if (terms?.every((t) => isBound(t, bound))) {
        ordered.push(item);
        remaining.splice(i, 1);
      } else i++;
    }
  };
  placeFilters();
  while (remaining.length > 0) {
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < remaining.length; i++) {
      const item = remaining[i] as BodyItem;
      if (item.kind !== 'literal' || item.negated) continue;
      const args = item.atom.args;
      const boundCount = args.filter((t) => isBound(t, bound)).length;
      const score = boundCount === args.length ? 1_000_000 : boundCount;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best < 0) {
      // Only filters with unbound variables remain: impossible for range-restricted bodies.
      ordered.push(...remaining);
      break;
    }
    const item = remaining.splice(best, 1)[0] as BodyItem;
    ordered.push(item);
    if (item.kind === 'literal')
      for (const t of item.atom.args) if (t.kind === 'var') bound.add(t.name);
    placeFilters();
  }
  return ordered;
}
