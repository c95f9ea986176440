// Stratified negation: unreachable nodes (negation over recursion), a three-stratum program
// (negation over a relation defined with negation), and negation inside queries.
import { negative, positive, query } from '../support/ast-builders.js';
import { describeDifferential } from '../support/differential-suite.js';
import { graphFacts, nodeName, randomDirectedGraph } from '../support/graph-generators.js';
import {
  layeredNegation,
  transitiveClosure,
  unreachableFrom,
} from '../support/program-families.js';
import type { DifferentialCase } from '../support/swipl-runner.js';

function casesFor(nodes: number, edges: number, seed: number): DifferentialCase[] {
  const facts = graphFacts(randomDirectedGraph({ nodes, edges, seed }), 'edge');
  const source = nodeName(seed % nodes);
  const id = `${nodes}/${edges} seed ${seed}`;
  const layered = [...facts, ...layeredNegation()];
  return [
    {
      id: `${id}: unreachable from ${source}`,
      program: [...facts, ...unreachableFrom(source)],
      query: query(positive('unreachable', '?y')),
    },
    {
      id: `${id}: unreachable, left-recursive closure`,
      program: [...facts, ...unreachableFrom(source, 'left')],
      query: query(positive('unreachable', '?y')),
    },
    {
      id: `${id}: disconnected pairs`,
      program: layered,
      query: query(positive('disconnected', '?x', '?y')),
    },
    { id: `${id}: hubs (three strata)`, program: layered, query: query(positive('hub', '?x')) },
    {
      id: `${id}: negation in the query`,
      program: [...facts, ...transitiveClosure('right')],
      query: query(positive('edge', '?x', '?y'), negative('path', '?y', '?x')),
    },
    {
      id: `${id}: negated ground literal in the query`,
      program: [...facts, ...transitiveClosure('double')],
      query: query(positive('path', source, '?y'), negative('path', '?y', source)),
    },
  ];
}

const cases = [
  ...[1, 2, 3, 4, 5, 6].flatMap((seed) => casesFor(8 + seed * 4, 8 + seed * 5, seed)),
  ...casesFor(150, 200, 7),
];

describeDifferential('stratified negation against SWI-Prolog', cases);
