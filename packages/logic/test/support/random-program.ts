// Random stratified Datalog programs: base predicates with random facts, derived predicates in
// strata (positive dependencies on the same or lower strata, so recursion and mutual recursion
// happen; negation only on strictly lower strata), comparisons on number arguments, and random
// queries with some bound arguments. Every argument position has a kind (symbol or number) and
// variables are reused by kind, so joins are frequent and answers rarely empty.
import type {
  BodyItem,
  Clause,
  ComparisonOperator,
  Query,
  Term,
  Value,
} from '../../src/language/ast.js';
import { constant, variable } from './ast-builders.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

type Kind = 'symbol' | 'number';

interface PredicateSpec {
  readonly name: string;
  readonly kinds: readonly Kind[];
  /** -1 for base predicates. */
  readonly stratum: number;
}

export interface RandomProgram {
  readonly seed: number;
  readonly program: Clause[];
  readonly queries: Query[];
}

const SYMBOLS = ['a', 'b', 'c', 'd'];
const NUMBERS = [0, 1, 2, 3, 2.5];
const OPERATORS: readonly ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];

export function generateRandomProgram(seed: number): RandomProgram {
  const random = createSeededRandom(seed);
  const kinds = (): Kind[] =>
    Array.from({ length: random.integer(1, 3) }, () => (random.chance(0.6) ? 'symbol' : 'number'));
  const value = (kind: Kind): Value =>
    kind === 'symbol' ? random.pick(SYMBOLS) : random.pick(NUMBERS);

  const base: PredicateSpec[] = Array.from({ length: random.integer(2, 3) }, (_, index) => ({
    name: `b${index}`,
    kinds: kinds(),
    stratum: -1,
  }));
  const derived: PredicateSpec[] = [];
  let stratum = 0;
  for (let index = 0, count = random.integer(2, 4); index < count; index++) {
    if (index > 0 && random.chance(0.45)) stratum++;
    derived.push({ name: `d${index}`, kinds: kinds(), stratum });
  }

  const program: Clause[] = [];
  for (const predicate of base) {
    for (let count = random.integer(5, 15); count > 0; count--) {
      const args = predicate.kinds.map((kind) => constant(value(kind)));
      program.push({ kind: 'fact', atom: { predicate: predicate.name, args }, negated: false });
    }
  }
  for (const predicate of derived) {
    for (let ruleIndex = 0, count = random.integer(1, 3); ruleIndex < count; ruleIndex++) {
      const sameOrLower = [...base, ...derived.filter((d) => d.stratum <= predicate.stratum)];
      const strictlyLower = [...base, ...derived.filter((d) => d.stratum < predicate.stratum)];
      // The first rule is a base case; later ones often recurse on the head.
      const firstChoices = ruleIndex === 0 ? strictlyLower : sameOrLower;
      const scope = new BodyScope(random, value);
      const body: BodyItem[] = [];
      const first = ruleIndex > 0 && random.chance(0.5) ? predicate : random.pick(firstChoices);
      body.push(scope.positive(first));
      for (let extra = random.integer(0, 2); extra > 0; extra--) {
        body.push(scope.positive(random.pick(firstChoices)));
      }
      body.push(...scope.tests(strictlyLower, 0.4, 0.35));
      const head = { predicate: predicate.name, args: scope.headArgs(predicate.kinds) };
      program.push({ kind: 'rule', head, body });
    }
  }

  const everything = [...base, ...derived];
  const queries: Query[] = [];
  for (let count = 3; count > 0; count--) {
    const scope = new BodyScope(random, value, 0.25);
    const target = random.chance(0.75) ? random.pick(derived) : random.pick(base);
    const body: BodyItem[] = [scope.positive(target), ...scope.tests(everything, 0.25, 0.2)];
    queries.push({ kind: 'query', body });
  }
  return { seed, program, queries };
}

/** The variables of one rule or query body, by kind, as they get bound by positive literals. */
class BodyScope {
  readonly #variables: Record<Kind, string[]> = { symbol: [], number: [] };
  #count = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly value: (kind: Kind) => Value,
    private readonly constantChance = 0.05,
  ) {}

  positive(predicate: PredicateSpec): BodyItem {
    const inThisLiteral = new Set<string>();
    const args = predicate.kinds.map((kind): Term => {
      if (this.random.chance(this.constantChance)) return constant(this.value(kind));
      // Repeating a variable inside one literal (`p(?x, ?x)`) is kept rare: it empties relations.
      const known = this.#variables[kind].filter(
        (name) => !inThisLiteral.has(name) || this.random.chance(0.1),
      );
      if (known.length > 0 && this.random.chance(0.4)) {
        const name = this.random.pick(known);
        inThisLiteral.add(name);
        return variable(name);
      }
      const name = `v${this.#count++}`;
      this.#variables[kind].push(name);
      inThisLiteral.add(name);
      return variable(name);
    });
    return { kind: 'literal', negated: false, atom: { predicate: predicate.name, args } };
  }

  /** Head arguments: bound variables, distinct where possible, else constants. */
  headArgs(kinds: readonly Kind[]): Term[] {
    const unused: Record<Kind, string[]> = {
      symbol: [...this.#variables.symbol],
      number: [...this.#variables.number],
    };
    return kinds.map((kind) => {
      const pool = unused[kind];
      if (pool.length === 0 || this.random.chance(0.05)) return this.bound(kind);
      const name = this.random.pick(pool);
      pool.splice(pool.indexOf(name), 1);
      return variable(name);
    });
  }

  /** A bound variable of this kind, or a constant when none is bound. */
  bound(kind: Kind): Term {
    const known = this.#variables[kind];
    return known.length > 0 && this.random.chance(0.9)
      ? variable(this.random.pick(known))
      : constant(this.value(kind));
  }

  /** Maybe a comparison and maybe a negated literal over `negatable`, on bound variables only. */
  tests(
    negatable: readonly PredicateSpec[],
    compareChance: number,
    negateChance: number,
  ): BodyItem[] {
    const items: BodyItem[] = [];
    if (this.random.chance(compareChance)) {
      const kind: Kind =
        this.#variables.number.length > 0 && this.random.chance(0.85) ? 'number' : 'symbol';
      const left = this.bound(kind);
      const others = this.#variables[kind].filter(
        (name) => left.kind !== 'var' || name !== left.name,
      );
      const right =
        others.length > 0 && this.random.chance(0.5)
          ? variable(this.random.pick(others))
          : constant(this.value(kind));
      if (left.kind === 'var' || right.kind === 'var') {
        items.push({ kind: 'compare', operator: this.random.pick(OPERATORS), left, right });
      }
    }
    if (negatable.length > 0 && this.random.chance(negateChance)) {
      const predicate = this.random.pick(negatable);
      const args = predicate.kinds.map((kind) => this.bound(kind));
      items.push({ kind: 'literal', negated: true, atom: { predicate: predicate.name, args } });
    }
    return items;
  }
}
