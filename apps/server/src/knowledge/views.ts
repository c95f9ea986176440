import {
  type Fact,
  type Proof,
  printAtom,
  printFact,
  printRule,
  type StoredFact,
  type StoredRule,
  type Value,
} from '@cairn/logic';

/** A fact as the API shows it: its resolved window and provenance. */
export interface FactView {
  readonly tenant: string;
  readonly predicate: string;
  readonly args: readonly Value[];
  readonly negated: boolean;
  readonly confidence: number | undefined;
  readonly validFrom: Date | undefined;
  readonly validUntil: Date | undefined;
  readonly assertedAt: Date;
  readonly assertedBy: string | undefined;
  readonly text: string;
}

export interface RuleView {
  readonly id: string;
  readonly head: string;
  readonly text: string;
  readonly taughtAt: Date;
  readonly taughtBy: string | undefined;
}

export function toFactView(stored: StoredFact): FactView {
  const { fact } = stored;
  return {
    tenant: stored.tenant,
    predicate: fact.atom.predicate,
    args: fact.atom.args.map((term) => (term.kind === 'const' ? term.value : `?${term.name}`)),
    negated: fact.negated,
    confidence: fact.confidence,
    validFrom: fact.validFrom === undefined ? undefined : new Date(fact.validFrom),
    validUntil: fact.validUntil === undefined ? undefined : new Date(fact.validUntil),
    assertedAt: new Date(stored.at),
    assertedBy: stored.by,
    // A window opening at assertion time is the default: leave it out of the text form.
    text: printFact(fact.validFrom === stored.at ? withoutValidFrom(fact) : fact),
  };
}

function withoutValidFrom(fact: Fact): Fact {
  const { validFrom: _validFrom, ...rest } = fact;
  return rest;
}

/** The fact as the engine stores it when asserted at `at`: a TTL becomes `validUntil`. */
export function resolveAssertedFact(fact: Fact, at: number): Fact {
  const { ttlSeconds, ...rest } = fact;
  const validUntil =
    fact.validUntil ?? (ttlSeconds === undefined ? undefined : at + ttlSeconds * 1000);
  return {
    ...rest,
    validFrom: fact.validFrom ?? at,
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}

export function toRuleView(stored: StoredRule): RuleView {
  return {
    id: stored.id,
    head: printAtom(stored.rule.head),
    text: printRule(stored.rule),
    taughtAt: new Date(stored.at),
    taughtBy: stored.by,
  };
}

/** A proof with its atoms and facts in the text syntax, as clients read them. */
export function toProofJson(proof: Proof): unknown {
  switch (proof.kind) {
    case 'fact':
      return { kind: 'fact', fact: printFact(proof.fact) };
    case 'rule':
      return {
        kind: 'rule',
        rule: proof.rule,
        head: printAtom(proof.head),
        children: proof.children.map(toProofJson),
      };
    case 'absent':
    case 'truncated':
      return { kind: proof.kind, atom: printAtom(proof.atom) };
    case 'query':
      return { kind: 'query', children: proof.children.map(toProofJson) };
  }
}
