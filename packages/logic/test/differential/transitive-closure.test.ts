// Transitive closure on random graphs with cycles, in the three recursive forms, with free,
// half-bound and bound queries; a few medium graphs besides many small ones.
import { positive, query } from '../support/ast-builders.js';
import { describeDifferential } from '../support/differential-suite.js';
import { graphFacts, nodeName, randomDirectedGraph } from '../support/graph-generators.js';
import { type RecursionForm, transitiveClosure } from '../support/program-families.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

const forms: readonly RecursionForm[] = ['left', 'right', 'double'];

function casesFor(
  form: RecursionForm,
  nodes: number,
  edges: number,
  seed: number,
): DifferentialCase[] {
  const graph = randomDirectedGraph({ nodes, edges, seed });
  const program = [...graphFacts(graph, 'edge'), ...transitiveClosure(form)];
  const [a, b] = [nodeName(seed % nodes), nodeName((seed * 7 + 3) % nodes)];
  const id = `${form} ${nodes}/${edges} seed ${seed}`;
  return [
    { id: `${id}: all pairs`, program, query: query(positive('path', '?x', '?y')) },
    { id: `${id}: from ${a}`, program, query: query(positive('path', a, '?y')) },
    { id: `${id}: into ${b}`, program, query: query(positive('path', '?x', b)) },
    { id: `${id}: ${a} to ${b}`, program, query: query(positive('path', a, b)) },
    { id: `${id}: on a cycle`, program, query: query(positive('path', '?x', '?x')) },
  ];
}

const cases = forms.flatMap((form) => [
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => casesFor(form, 6 + seed * 3, 10 + seed * 5, seed)),
  // Sparse graphs: long chains, many unreachable pairs.
  ...[11, 12].flatMap((seed) => casesFor(form, 40, 45, seed)),
  // Medium graphs: ~10k closure pairs for left/right, a smaller one for the costly double form.
  ...(form === 'double' ? casesFor(form, 60, 150, 21) : casesFor(form, 120, 300, 21)),
]);

describeDifferential('transitive closure against SWI-Prolog', cases);
