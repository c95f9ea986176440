// Seeded graph workloads shared by the differential tests and the bench.
import type { Fact } from '../../src/language/ast.js';
import { fact } from './ast-builders.js';
import { createSeededRandom } from './seeded-random.js';

/** Directed edges as pairs of node indexes; node `i` is named `nodeName(i)`. */
export interface Graph {
  readonly nodes: number;
  readonly edges: ReadonlyArray<readonly [number, number]>;
}

export const nodeName = (index: number): string => `n${index}`;

/**
 * `edges` distinct random edges (no self-loops) over `nodes` nodes. If chance left the graph
 * acyclic, a cycle through three random nodes is added, so every generated graph has one.
 */
export function randomDirectedGraph(options: {
  nodes: number;
  edges: number;
  seed: number;
}): Graph {
  const { nodes, edges, seed } = options;
  if (nodes < 3) throw new RangeError('randomDirectedGraph needs at least 3 nodes');
  if (edges > nodes * (nodes - 1))
    throw new RangeError(`${nodes} nodes cannot hold ${edges} edges`);
  const random = createSeededRandom(seed);
  const seen = new Set<number>();
  const list: Array<readonly [number, number]> = [];
  const add = (from: number, to: number): void => {
    const key = from * nodes + to;
    if (from === to || seen.has(key)) return;
    seen.add(key);
    list.push([from, to]);
  };
  while (list.length < edges) add(random.integer(0, nodes - 1), random.integer(0, nodes - 1));
  const graph = { nodes, edges: list };
  if (hasCycle(graph)) return graph;
  const [a, b, c] = [0, 1, 2].map(() => random.integer(0, nodes - 1));
  if (a !== undefined && b !== undefined && c !== undefined) {
    add(a, (a + 1) % nodes);
    add((a + 1) % nodes, (a + 2) % nodes);
    add((a + 2) % nodes, a);
  }
  return graph;
}

/** A random recursive tree: node `i > 0` hangs under a uniformly chosen node `< i`. */
export function randomRecursiveTree(options: { nodes: number; seed: number }): Graph {
  const random = createSeededRandom(options.seed);
  const edges: Array<readonly [number, number]> = [];
  for (let child = 1; child < options.nodes; child++)
    edges.push([random.integer(0, child - 1), child]);
  return { nodes: options.nodes, edges };
}

export function hasCycle(graph: Graph): boolean {
  const successors = adjacency(graph);
  // Iterative three-colour DFS: the big bench graphs would overflow a recursive one.
  const colour = new Uint8Array(graph.nodes);
  for (let root = 0; root < graph.nodes; root++) {
    if (colour[root] !== 0) continue;
    const stack: Array<[number, number]> = [[root, 0]];
    colour[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const next = successors[top[0]]?.[top[1]];
      if (next === undefined) {
        colour[top[0]] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      if (colour[next] === 1) return true;
      if (colour[next] === 0) {
        colour[next] = 1;
        stack.push([next, 0]);
      }
    }
  }
  return false;
}

export function adjacency(graph: Graph): number[][] {
  const successors: number[][] = Array.from({ length: graph.nodes }, () => []);
  for (const [from, to] of graph.edges) successors[from]?.push(to);
  return successors;
}

/** Nodes reachable from `source` by one or more edges (what `path(source, ?y)` answers). */
export function reachableFrom(graph: Graph, source: number): Set<number> {
  const successors = adjacency(graph);
  const reached = new Set<number>();
  const frontier = [...(successors[source] ?? [])];
  while (frontier.length > 0) {
    const node = frontier.pop() as number;
    if (reached.has(node)) continue;
    reached.add(node);
    frontier.push(...(successors[node] ?? []));
  }
  return reached;
}

export function graphFacts(graph: Graph, predicate: string): Fact[] {
  return graph.edges.map(([from, to]) => fact(predicate, nodeName(from), nodeName(to)));
}

/** The same facts in the text syntax, one per line (for the load-from-text workloads). */
export function graphFactsText(graph: Graph, predicate: string): string {
  return graph.edges
    .map(([from, to]) => `${predicate}(${nodeName(from)}, ${nodeName(to)}).`)
    .join('\n');
}
