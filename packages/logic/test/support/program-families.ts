// The classic recursive programs of the differential suite and the bench, as rules.
import type { Rule } from '../../src/language/ast.js';
import { atom, compare, negative, positive, rule } from './ast-builders.js';

export type RecursionForm = 'left' | 'right' | 'double';

/** `path` as the transitive closure of `edge`, in one of the three recursive forms. */
export function transitiveClosure(form: RecursionForm, edge = 'edge', path = 'path'): Rule[] {
  const recursive = {
    left: [positive(path, '?x', '?z'), positive(edge, '?z', '?y')],
    right: [positive(edge, '?x', '?z'), positive(path, '?z', '?y')],
    double: [positive(path, '?x', '?z'), positive(path, '?z', '?y')],
  }[form];
  return [
    rule(atom(path, '?x', '?y'), positive(edge, '?x', '?y')),
    rule(atom(path, '?x', '?y'), ...recursive),
  ];
}

/** Same generation over `parent(?p, ?c)`: distinct nodes at the same depth below a common ancestor. */
export function sameGeneration(parent = 'parent'): Rule[] {
  return [
    rule(
      atom('sg', '?x', '?y'),
      positive(parent, '?p', '?x'),
      positive(parent, '?p', '?y'),
      compare('?x', '!=', '?y'),
    ),
    rule(
      atom('sg', '?x', '?y'),
      positive(parent, '?p', '?x'),
      positive('sg', '?p', '?q'),
      positive(parent, '?q', '?y'),
    ),
  ];
}

/** `node` holds every endpoint of an edge. */
export function nodesOfEdges(edge = 'edge'): Rule[] {
  return [
    rule(atom('node', '?x'), positive(edge, '?x', '?y')),
    rule(atom('node', '?y'), positive(edge, '?x', '?y')),
  ];
}

/** Nodes (endpoints of edges) that `source` does not reach: negation over a recursive relation. */
export function unreachableFrom(source: string, form: RecursionForm = 'right'): Rule[] {
  return [
    ...transitiveClosure(form),
    ...nodesOfEdges(),
    rule(atom('unreachable', '?y'), positive('node', '?y'), negative('path', source, '?y')),
  ];
}

/**
 * Three strata: reachability, pairs that are not connected, and nodes that are connected to
 * nothing they could be (negation over a relation that itself uses negation).
 */
export function layeredNegation(): Rule[] {
  return [
    ...transitiveClosure('right'),
    ...nodesOfEdges(),
    rule(
      atom('disconnected', '?x', '?y'),
      positive('node', '?x'),
      positive('node', '?y'),
      compare('?x', '!=', '?y'),
      negative('path', '?x', '?y'),
    ),
    rule(atom('has_gap', '?x'), positive('disconnected', '?x', '?y')),
    rule(atom('hub', '?x'), positive('node', '?x'), negative('has_gap', '?x')),
  ];
}

/** Paths whose edges alternate red and blue: `red_first` and `blue_first` call each other. */
export function alternatingPaths(): Rule[] {
  return [
    rule(atom('red_first', '?x', '?y'), positive('red', '?x', '?y')),
    rule(
      atom('red_first', '?x', '?z'),
      positive('red', '?x', '?y'),
      positive('blue_first', '?y', '?z'),
    ),
    rule(atom('blue_first', '?x', '?y'), positive('blue', '?x', '?y')),
    rule(
      atom('blue_first', '?x', '?z'),
      positive('blue', '?x', '?y'),
      positive('red_first', '?y', '?z'),
    ),
  ];
}

/** Even and odd numbers reached from `zero` along `succ`, defined by mutual recursion. */
export function evenOdd(): Rule[] {
  return [
    rule(atom('even', '?x'), positive('zero', '?x')),
    rule(atom('odd', '?y'), positive('even', '?x'), positive('succ', '?x', '?y')),
    rule(atom('even', '?y'), positive('odd', '?x'), positive('succ', '?x', '?y')),
  ];
}
