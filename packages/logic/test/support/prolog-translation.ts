// Translates a Cairn program and queries into an SWI-Prolog program with tabling: every derived
// predicate is tabled, constants become quoted atoms or numbers, `not` becomes `tnot` (tabled)
// or `\+` (base), comparisons become `==`, `\==` or the helpers of PROLOG_PRELUDE. Body items
// are reordered (positive literals first) because Prolog runs left to right while a Cairn body
// is a conjunction: range restriction guarantees negations and comparisons are then ground.
import type {
  Atom,
  BodyItem,
  Clause,
  Comparison,
  Fact,
  Query,
  Rule,
  Term,
} from '../../src/language/ast.js';
import { tupleKey } from './answer-set.js';
import { queryVariables } from './ast-builders.js';
import { prologValue, prologVariable, quoteAtom } from './prolog-syntax.js';

/**
 * Ordering is numeric between numbers and by code point between strings (SWI compares atoms
 * by code point), and false across kinds, as in Cairn. Booleans are `'$bool'(B)`, so they
 * never equal the strings "true"/"false" and never order.
 */
export const PROLOG_PRELUDE = `:- encoding(utf8).
:- style_check(-singleton).
cairn_lt(X, Y) :- number(X), number(Y), !, X < Y.
cairn_lt(X, Y) :- atom(X), atom(Y), X @< Y.
cairn_le(X, Y) :- number(X), number(Y), !, X =< Y.
cairn_le(X, Y) :- atom(X), atom(Y), X @=< Y.
`;

export interface PrologProgram {
  /** Directives and clauses, to follow PROLOG_PRELUDE in a file. */
  readonly text: string;
  /** `name/arity` of every tabled (derived) predicate. */
  readonly tabled: ReadonlySet<string>;
  translateQuery(query: Query): PrologGoal;
}

export interface PrologGoal {
  /** Prolog goal text, e.g. `'path'(V_x,V_y)`. */
  readonly goal: string;
  /** Cairn variable names in answer-column order. */
  readonly variables: readonly string[];
  /** The matching Prolog list, e.g. `[V_x,V_y]`. */
  readonly variableList: string;
}

export const predicateKey = (atom: Atom): string => `${atom.predicate}/${atom.args.length}`;

export function translateProgram(
  program: readonly Clause[],
  options: {
    prefix?: string;
    queries?: readonly Query[];
    /**
     * `subsumptive` answers a call from a complete, more general table and negates with `\+`
     * (tnot does not use subsumption). Same answers for a stratified program: the negated
     * goal's table is complete before `\+` returns. Used by the bench only.
     */
    tabling?: 'variant' | 'subsumptive';
  } = {},
): PrologProgram {
  const prefix = options.prefix ?? '';
  const subsumptive = options.tabling === 'subsumptive';
  const tablingMode = subsumptive ? ' as subsumptive' : '';
  // Negation reads `tabled` only to pick tnot; an empty set makes every negation `\+`.
  const tnotFor = (set: ReadonlySet<string>): ReadonlySet<string> =>
    subsumptive ? new Set() : set;
  const functor = (atom: Atom): string => quoteAtom(prefix + atom.predicate);
  const tabled = new Set<string>();
  const referenced = new Map<string, Atom>();
  const noteBody = (body: readonly BodyItem[]): void => {
    for (const item of body)
      if (item.kind === 'literal') referenced.set(predicateKey(item.atom), item.atom);
  };
  for (const clause of program) {
    if (clause.kind === 'rule') {
      tabled.add(predicateKey(clause.head));
      referenced.set(predicateKey(clause.head), clause.head);
      noteBody(clause.body);
    }
  }
  for (const query of options.queries ?? []) noteBody(query.body);

  // Clauses grouped by predicate, so SWI sees each predicate contiguously.
  const clauses = new Map<string, string[]>();
  const emit = (atom: Atom, text: string): void => {
    const key = predicateKey(atom);
    referenced.set(key, atom);
    const group = clauses.get(key);
    if (group === undefined) clauses.set(key, [text]);
    else group.push(text);
  };
  for (const fact of storedPositiveFacts(program)) {
    emit(fact.atom, `${atomText(fact.atom, functor, new Map())}.`);
  }
  for (const clause of program) {
    if (clause.kind === 'rule') emit(clause.head, ruleText(clause, functor, tnotFor(tabled)));
  }

  const lines: string[] = [];
  for (const [key, atom] of referenced) {
    const indicator = `${functor(atom)}/${atom.args.length}`;
    if (tabled.has(key)) lines.push(`:- table ${indicator}${tablingMode}.`);
    else if (!clauses.has(key)) lines.push(`:- dynamic ${indicator}.`);
  }
  for (const group of clauses.values()) for (const line of group) lines.push(line);

  return {
    text: `${lines.join('\n')}\n`,
    tabled,
    translateQuery(query: Query): PrologGoal {
      const variables = queryVariables(query);
      const names = variableNames(variables);
      return {
        goal: bodyText(query.body, functor, tnotFor(tabled), names) || 'true',
        variables,
        variableList: `[${variables.map((name) => names.get(name)).join(',')}]`,
      };
    },
  };
}

/**
 * The positive facts a fresh knowledge base holds after asserting the program's facts in
 * order: a negated fact removes an earlier positive one and is itself no input to inference.
 */
export function storedPositiveFacts(program: readonly Clause[]): Fact[] {
  const stored = new Map<string, Fact>();
  for (const clause of program) {
    if (clause.kind !== 'fact') continue;
    const values = clause.atom.args.map((arg) => {
      if (arg.kind !== 'const') throw new Error(`fact ${clause.atom.predicate} is not ground`);
      return arg.value;
    });
    const key = `${predicateKey(clause.atom)}${tupleKey(values)}`;
    stored.delete(key);
    if (!clause.negated) stored.set(key, clause);
  }
  return [...stored.values()];
}

function variableNames(names: Iterable<string>): Map<string, string> {
  const mapped = new Map<string, string>();
  for (const name of names) mapped.set(name, prologVariable(name, mapped.size));
  return mapped;
}

function termText(term: Term, names: Map<string, string>): string {
  if (term.kind === 'const') return prologValue(term.value);
  let name = names.get(term.name);
  if (name === undefined) {
    name = prologVariable(term.name, names.size);
    names.set(term.name, name);
  }
  return name;
}

function atomText(atom: Atom, functor: (atom: Atom) => string, names: Map<string, string>): string {
  if (atom.args.length === 0) return functor(atom);
  return `${functor(atom)}(${atom.args.map((arg) => termText(arg, names)).join(',')})`;
}

function comparisonText(item: Comparison, names: Map<string, string>): string {
  const left = termText(item.left, names);
  const right = termText(item.right, names);
  switch (item.operator) {
    case '=':
      return `${left}==${right}`;
    case '!=':
      return `${left}\\==${right}`;
    case '<':
      return `cairn_lt(${left},${right})`;
    case '<=':
      return `cairn_le(${left},${right})`;
    case '>':
      return `cairn_lt(${right},${left})`;
    case '>=':
      return `cairn_le(${right},${left})`;
  }
}

function bodyText(
  body: readonly BodyItem[],
  functor: (atom: Atom) => string,
  tabled: ReadonlySet<string>,
  names: Map<string, string>,
): string {
  const positives: string[] = [];
  const tests: string[] = [];
  for (const item of body) {
    if (item.kind === 'compare') tests.push(comparisonText(item, names));
    else if (!item.negated) positives.push(atomText(item.atom, functor, names));
    else {
      const negation = tabled.has(predicateKey(item.atom)) ? 'tnot' : '\\+';
      tests.push(`${negation}(${atomText(item.atom, functor, names)})`);
    }
  }
  // Comparisons before negations: they are cheaper and cut the candidates first.
  tests.sort((a, b) => Number(/^(tnot|\\\+)\(/.test(a)) - Number(/^(tnot|\\\+)\(/.test(b)));
  return [...positives, ...tests].join(', ');
}

function ruleText(
  rule: Rule,
  functor: (atom: Atom) => string,
  tabled: ReadonlySet<string>,
): string {
  const names = new Map<string, string>();
  const body = bodyText(rule.body, functor, tabled, names);
  const head = atomText(rule.head, functor, names);
  return body === '' ? `${head}.` : `${head} :- ${body}.`;
}
