// Builders for the AST of src/language/ast.ts, so generators do not depend on the parser (the
// parser is tested against them instead: see test/differential/parser-roundtrip.test.ts).
import type {
  Atom,
  BodyItem,
  Comparison,
  ComparisonOperator,
  Constant,
  Fact,
  Literal,
  Query,
  Rule,
  Term,
  Value,
  Variable,
} from '../../src/language/ast.js';

export const constant = (value: Value): Constant => ({ kind: 'const', value });
export const variable = (name: string): Variable => ({ kind: 'var', name });

/** A term from shorthand: `'?x'` is a variable, anything else a constant. */
export function term(value: Value): Term {
  return typeof value === 'string' && value.startsWith('?')
    ? variable(value.slice(1))
    : constant(value);
}

export const atom = (predicate: string, ...args: readonly Value[]): Atom => ({
  predicate,
  args: args.map(term),
});

export const positive = (predicate: string, ...args: readonly Value[]): Literal => ({
  kind: 'literal',
  atom: atom(predicate, ...args),
  negated: false,
});

export const negative = (predicate: string, ...args: readonly Value[]): Literal => ({
  kind: 'literal',
  atom: atom(predicate, ...args),
  negated: true,
});

export const compare = (left: Value, operator: ComparisonOperator, right: Value): Comparison => ({
  kind: 'compare',
  operator,
  left: term(left),
  right: term(right),
});

export const fact = (predicate: string, ...args: readonly Value[]): Fact => ({
  kind: 'fact',
  atom: atom(predicate, ...args),
  negated: false,
});

export const negatedFact = (predicate: string, ...args: readonly Value[]): Fact => ({
  kind: 'fact',
  atom: atom(predicate, ...args),
  negated: true,
});

export const rule = (head: Atom, ...body: readonly BodyItem[]): Rule => ({
  kind: 'rule',
  head,
  body,
});

export const query = (...body: readonly BodyItem[]): Query => ({ kind: 'query', body });

/** Variable names of a query in order of first appearance: the columns of its answers. */
export function queryVariables(q: Query): string[] {
  const names: string[] = [];
  const visit = (t: Term): void => {
    if (t.kind === 'var' && !names.includes(t.name)) names.push(t.name);
  };
  for (const item of q.body) {
    if (item.kind === 'literal') item.atom.args.forEach(visit);
    else {
      visit(item.left);
      visit(item.right);
    }
  }
  return names;
}
