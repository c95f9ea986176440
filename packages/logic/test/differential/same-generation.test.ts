// Same generation on random recursive trees (and a forest with shared children, so that a node
// has two parents and generations overlap).
import { fact, positive, query } from '../support/ast-builders.js';
import { describeDifferential } from '../support/differential-suite.js';
import { graphFacts, nodeName, randomRecursiveTree } from '../support/graph-generators.js';
import { sameGeneration } from '../support/program-families.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

function casesFor(nodes: number, seed: number, extraParents: number): DifferentialCase[] {
  const tree = randomRecursiveTree({ nodes, seed });
  const extra = Array.from({ length: extraParents }, (_, index) =>
    fact('parent', nodeName((seed + index) % 5), nodeName(nodes - 1 - index)),
  );
  const program = [...graphFacts(tree, 'parent'), ...extra, ...sameGeneration()];
  const someone = nodeName(Math.floor(nodes / 2));
  const id = `tree ${nodes} seed ${seed}${extraParents > 0 ? ` +${extraParents} parents` : ''}`;
  return [
    { id: `${id}: all pairs`, program, query: query(positive('sg', '?x', '?y')) },
    { id: `${id}: of ${someone}`, program, query: query(positive('sg', someone, '?y')) },
    { id: `${id}: self pairs`, program, query: query(positive('sg', '?x', '?x')) },
  ];
}

const cases = [
  ...[1, 2, 3, 4, 5, 6].flatMap((seed) => casesFor(8 + seed * 6, seed, 0)),
  ...[7, 8, 9].flatMap((seed) => casesFor(30, seed, 3)),
  ...casesFor(400, 10, 0),
];

describeDifferential('same generation against SWI-Prolog', cases);
