// Mutual recursion: paths alternating red and blue edges on random graphs with cycles, and even
// and odd positions along random successor relations (a cycle of odd length makes a node both).
import { fact, positive, query } from '../support/ast-builders.js';
import { describeDifferential } from '../support/differential-suite.js';
import { graphFacts, nodeName, randomDirectedGraph } from '../support/graph-generators.js';
import { alternatingPaths, evenOdd } from '../support/program-families.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

function alternating(seed: number): DifferentialCase[] {
  const nodes = 10 + seed * 3;
  const red = graphFacts(randomDirectedGraph({ nodes, edges: nodes + 4, seed }), 'red');
  const blue = graphFacts(
    randomDirectedGraph({ nodes, edges: nodes + 2, seed: seed + 100 }),
    'blue',
  );
  const program = [...red, ...blue, ...alternatingPaths()];
  const start = nodeName(seed % nodes);
  return [
    {
      id: `alternating seed ${seed}: red first`,
      program,
      query: query(positive('red_first', '?x', '?y')),
    },
    {
      id: `alternating seed ${seed}: blue first from ${start}`,
      program,
      query: query(positive('blue_first', start, '?y')),
    },
    {
      id: `alternating seed ${seed}: both ways`,
      program,
      query: query(positive('red_first', '?x', '?y'), positive('blue_first', '?y', '?x')),
    },
  ];
}

function parity(seed: number): DifferentialCase[] {
  const nodes = 6 + seed * 2;
  const successor = graphFacts(
    randomDirectedGraph({ nodes, edges: nodes, seed: seed + 200 }),
    'succ',
  );
  const program = [fact('zero', nodeName(0)), ...successor, ...evenOdd()];
  return [
    { id: `parity seed ${seed}: even`, program, query: query(positive('even', '?x')) },
    { id: `parity seed ${seed}: odd`, program, query: query(positive('odd', '?x')) },
    {
      id: `parity seed ${seed}: both`,
      program,
      query: query(positive('even', '?x'), positive('odd', '?x')),
    },
  ];
}

describeDifferential('mutual recursion against SWI-Prolog', [
  ...[1, 2, 3, 4, 5, 6].flatMap(alternating),
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap(parity),
]);
