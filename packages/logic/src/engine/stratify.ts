import { LogicError } from '../errors.js';
import type { Rule } from '../language/ast.js';
import { predicateKey } from './predicate-key.js';

interface Edge {
  readonly to: string;
  readonly negated: boolean;
}

/**
 * Checks that a rule set is stratifiable (no cycle of dependencies goes through a negation)
 * and returns each derived predicate's stratum. The error names one offending cycle, e.g.
 * `p/1 -> not q/1 -> p/1`, so the author sees which rules to change.
 */
export function stratify(rules: readonly Rule[]): Map<string, number> {
  const edges = new Map<string, Edge[]>();
  const nodes = new Set<string>();
  for (const rule of rules) {
    const head = predicateKey(rule.head);
    nodes.add(head);
    let list = edges.get(head);
    if (list === undefined) {
      list = [];
      edges.set(head, list);
    }
    for (const item of rule.body) {
      if (item.kind !== 'literal') continue;
      const to = predicateKey(item.atom);
      nodes.add(to);
      list.push({ to, negated: item.negated });
    }
  }
  const component = stronglyConnectedComponents(nodes, edges);
  for (const [from, list] of edges) {
    for (const edge of list) {
      if (edge.negated && component.get(from) === component.get(edge.to)) {
        const back = pathWithin(edge.to, from, edges, component);
        const steps = [from, `not ${edge.to}`, ...back.slice(1)];
        throw new LogicError(
          'UNSTRATIFIABLE',
          `negation through recursion: ${steps.join(' -> ')}; a predicate may not depend on ` +
            'its own negation — remove the negated literal or break the cycle',
        );
      }
    }
  }
  // Components come out of Tarjan's algorithm in reverse topological order, so a stratum is
  // the longest chain of negations below a component.
  const stratum = new Map<string, number>();
  const order = [...new Set(component.values())].sort((a, b) => a - b);
  const members = new Map<number, string[]>();
  for (const [node, c] of component) {
    const list = members.get(c) ?? [];
    list.push(node);
    members.set(c, list);
  }
  for (const c of order) {
    let level = 0;
    for (const node of members.get(c) ?? []) {
      for (const edge of edges.get(node) ?? []) {
        if (component.get(edge.to) === c) continue;
        const below = stratum.get(edge.to) ?? 0;
        level = Math.max(level, edge.negated ? below + 1 : below);
      }
    }
    for (const node of members.get(c) ?? []) stratum.set(node, level);
  }
  return stratum;
}

function stronglyConnectedComponents(
  nodes: Set<string>,
  edges: Map<string, Edge[]>,
): Map<string, number> {
  // Iterative Tarjan: rule sets can hold long dependency chains and recursion would overflow.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const list = edges.get(frame.node) ?? [];
      if (frame.next < list.length) {
        const to = (list[frame.next++] as Edge).to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low.set(
          parent.node,
          Math.min(low.get(parent.node) as number, low.get(frame.node) as number),
        );
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        for (;;) {
          const member = stack.pop() as string;
          onStack.delete(member);
          component.set(member, components);
          if (member === frame.node) break;
        }
        components++;
      }
    }
  }
  return component;
}

/** Shortest dependency path from `from` to `to` inside one component, with `not ` marks. */
function pathWithin(
  from: string,
  to: string,
  edges: Map<string, Edge[]>,
  component: Map<string, number>,
): string[] {
  const c = component.get(from);
  const previous = new Map<string, { node: string; negated: boolean }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const node = queue.shift() as string;
    if (node === to) break;
    for (const edge of edges.get(node) ?? []) {
      if (component.get(edge.to) !== c || seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { node, negated: edge.negated });
      queue.push(edge.to);
    }
  }
  const path: string[] = [];
  let node = to;
  while (node !== from) {
    const step = previous.get(node);
    if (step === undefined) break;
    path.unshift(step.negated ? `not ${node}` : node);
    node = step.node;
  }
  path.unshift(from);
  return path;
}
