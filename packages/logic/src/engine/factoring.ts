import type { BodyItem, Term } from '../language/ast.js';
import type { ValueTable } from './interner.js';
import type { PlanContext, PlanItem, PlanLiteral, PlanRule, TermRef } from './plan.js';
import { adornedName, magicName, type RuleEntry, termRef } from './plan-names.js';
import type { RightLinearShape } from './right-linear.js';

export interface FactoringTools {
  readonly interner: ValueTable;
  readonly hasFacts: (key: string) => boolean;
  readonly rewriteBody: (
    context: PlanContext,
    body: readonly BodyItem[],
    bound: Set<string>,
    slots: Map<string, number>,
    first: PlanLiteral,
  ) => PlanItem[];
}

/**
 * reach(s, s) :- magic(s).  reach(s, z') :- reach(s, z), step(z, z').
 * p(s, y) :- reach(s, z), exit(z, y).   — s, z: the bound arguments; y: the free ones.
 */
export function emitFactored(
  context: PlanContext,
  key: string,
  adornment: string,
  shape: RightLinearShape,
  tools: FactoringTools,
): void {
  const input = tools;
  const rewriteBody = tools.rewriteBody;
  const boundPositions = [...adornment].flatMap((c, i) => (c === 'b' ? [i] : []));
  const width = boundPositions.length;
  const reach = `reach:${key}^${adornment}`;
  context.relations.set(reach, 2 * width);
  const seedSlots = (): Map<string, number> =>
    new Map(boundPositions.map((_, i) => [`?seed${i}`, i]));
  const seeds: TermRef[] = boundPositions.map((_, slot) => ({ slot }));
  const reachLiteral = (tail: readonly TermRef[]): PlanLiteral => ({
    kind: 'literal',
    relation: { source: 'local', name: reach },
    predicate: reach,
    args: [...seeds, ...tail],
    negated: false,
  });
  const predicate = key.slice(0, key.lastIndexOf('/'));
  context.rules.push({
    head: reach,
    headPredicate: reach,
    headArgs: [...seeds, ...seeds],
    body: [
      {
        kind: 'literal',
        relation: { source: 'local', name: magicName(key, adornment) },
        predicate,
        args: seeds,
        negated: false,
      },
    ],
    slots: width,
    origin: { kind: 'magic' },
  });
  const clause = (
    entry: RuleEntry,
    body: readonly BodyItem[],
    headOf: (slots: Map<string, number>) => TermRef[],
    head: string,
    origin: PlanRule['origin'],
  ): void => {
    const slots = seedSlots();
    const headTerms = entry.rule.head.args.map((t) => termRef(t, slots, input.interner));
    const bound = new Set<string>();
    for (const i of boundPositions) {
      const t = entry.rule.head.args[i] as Term;
      if (t.kind === 'var') bound.add(t.name);
    }
    for (const item of body) {
      for (const t of item.kind === 'compare' ? [item.left, item.right] : item.atom.args)
        termRef(t, slots, input.interner);
    }
    const outHead = headOf(slots);
    const rewritten = rewriteBody(
      context,
      body,
      bound,
      slots,
      reachLiteral(boundPositions.map((i) => headTerms[i] as TermRef)),
    );
    context.rules.push({
      head,
      headPredicate: predicate,
      headArgs: outHead,
      body: rewritten,
      slots: slots.size,
      origin,
    });
  };
  for (const { entry, recursive, rest } of shape.steps) {
    clause(
      entry,
      rest,
      (slots) => [
        ...seeds,
        ...boundPositions.map((i) =>
          termRef(recursive.atom.args[i] as Term, slots, input.interner),
        ),
      ],
      reach,
      { kind: 'magic' },
    );
  }
  for (const entry of shape.exits) {
    clause(
      entry,
      entry.rule.body,
      (slots) =>
        entry.rule.head.args.map((t, i) =>
          adornment[i] === 'b'
            ? (seeds[boundPositions.indexOf(i)] as TermRef)
            : termRef(t, slots, input.interner),
        ),
      adornedName(key, adornment),
      { kind: 'rule', ruleId: entry.id },
    );
  }
  if (input.hasFacts(key)) {
    const arity = adornment.length;
    const values: TermRef[] = Array.from({ length: arity }, (_, i) => ({ slot: width + i }));
    context.rules.push({
      head: adornedName(key, adornment),
      headPredicate: predicate,
      headArgs: values.map((v, i) =>
        adornment[i] === 'b' ? (seeds[boundPositions.indexOf(i)] as TermRef) : v,
      ),
      body: [
        reachLiteral(boundPositions.map((i) => values[i] as TermRef)),
        {
          kind: 'literal',
          relation: { source: 'edb', key },
          predicate,
          args: values,
          negated: false,
        },
      ],
      slots: width + arity,
      origin: { kind: 'bridge' },
    });
  }
}
