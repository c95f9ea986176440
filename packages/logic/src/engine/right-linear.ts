import type { BodyItem, Literal, Term } from '../language/ast.js';
import type { RuleEntry } from './plan-names.js';
import { predicateKey } from './predicate-key.js';

export interface RightLinearShape {
  readonly exits: readonly RuleEntry[];
  readonly steps: ReadonlyArray<{
    readonly entry: RuleEntry;
    readonly recursive: Literal;
    readonly rest: BodyItem[];
  }>;
}

const variablesIn = (terms: readonly Term[]): string[] =>
  terms.flatMap((t) => (t.kind === 'var' ? [t.name] : []));

/**
 * Recognises a predicate whose recursion, under adornment `adornment`, is right-linear with
 * its free arguments passed through unchanged, e.g. `path(?x,?y) :- edge(?x,?z), path(?z,?y)`
 * asked as `path(n0, ?y)`. Plain magic sets would then derive `path(z, ·)` for every reachable
 * z — quadratic; factoring instead computes which bound tuples are reachable from each demand
 * (one pass) and applies the exit rules once per reached tuple (Naughton et al., "Argument
 * reduction by factoring"). Returns undefined when the rules do not have that shape.
 */
export function rightLinearShape(
  key: string,
  adornment: string,
  rules: readonly RuleEntry[],
  dependsOn: (from: string, to: string) => boolean,
): RightLinearShape | undefined {
  if (!adornment.includes('b') || !adornment.includes('f')) return undefined;
  const exits: RuleEntry[] = [];
  const steps: Array<{ entry: RuleEntry; recursive: Literal; rest: BodyItem[] }> = [];
  for (const entry of rules) {
    const { head, body } = entry.rule;
    const recursive = body.filter(
      (b): b is Literal => b.kind === 'literal' && predicateKey(b.atom) === key,
    );
    for (const item of body) {
      if (
        item.kind === 'literal' &&
        predicateKey(item.atom) !== key &&
        dependsOn(predicateKey(item.atom), key)
      )
        return undefined;
    }
    if (recursive.length === 0) {
      exits.push(entry);
      continue;
    }
    if (recursive.length > 1) return undefined;
    const literal = recursive[0] as Literal;
    if (literal.negated) return undefined;
    const rest = body.filter((b) => b !== literal);
    const restVariables = new Set(
      rest.flatMap((b) =>
        b.kind === 'compare' ? variablesIn([b.left, b.right]) : variablesIn(b.atom.args),
      ),
    );
    const positiveRest = new Set(
      rest.flatMap((b) => (b.kind === 'literal' && !b.negated ? variablesIn(b.atom.args) : [])),
    );
    const headBound = new Set<string>();
    const passed = new Set<string>();
    for (let i = 0; i < adornment.length; i++) {
      const h = head.args[i] as Term;
      const r = literal.atom.args[i] as Term;
      if (adornment[i] === 'b') {
        if (h.kind === 'var') headBound.add(h.name);
        continue;
      }
      if (h.kind !== 'var' || r.kind !== 'var' || h.name !== r.name || passed.has(h.name))
        return undefined;
      if (restVariables.has(h.name)) return undefined;
      passed.add(h.name);
    }
    for (const name of passed) if (headBound.has(name)) return undefined;
    for (let i = 0; i < adornment.length; i++) {
      const r = literal.atom.args[i] as Term;
      if (adornment[i] !== 'b' || r.kind !== 'var') continue;
      if (!positiveRest.has(r.name) && !headBound.has(r.name)) return undefined;
      if (passed.has(r.name)) return undefined;
    }
    steps.push({ entry, recursive: literal, rest });
  }
  return steps.length > 0 ? { exits, steps } : undefined;
}

/** Whether predicate `from` depends, through any rules, on predicate `to`. */
export function dependencyTest(
  rulesByPredicate: Map<string, RuleEntry[]>,
): (from: string, to: string) => boolean {
  const memo = new Map<string, Set<string>>();
  const reachable = (from: string): Set<string> => {
    let seen = memo.get(from);
    if (seen !== undefined) return seen;
    seen = new Set();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop() as string;
      for (const entry of rulesByPredicate.get(node) ?? []) {
        for (const item of entry.rule.body) {
          if (item.kind !== 'literal') continue;
          const key = predicateKey(item.atom);
          if (!seen.has(key)) {
            seen.add(key);
            stack.push(key);
          }
        }
      }
    }
    memo.set(from, seen);
    return seen;
  };
  return (from, to) => from === to || reachable(from).has(to);
}
