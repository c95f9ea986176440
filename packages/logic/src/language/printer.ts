// The canonical text form: parse(print(x)) deep-equals x, and print(parse(text)) is a fixed
// point. Values the parser could never produce are refused rather than printed ambiguously.

import { LogicError } from '../errors.js';
import type { Atom, BodyItem, Clause, Fact, Query, Rule, Term, Value } from './ast.js';
import { describeBadName, isBareConstant } from './identifiers.js';
import { assertFactGround } from './safety.js';
import { formatTime, isValidTime } from './values.js';

function invalid(message: string): never {
  throw new LogicError('INVALID_VALUE', `cannot print: ${message}`);
}

function printName(name: string, what: 'predicate' | 'variable'): string {
  const problem = describeBadName(name, what, Number.POSITIVE_INFINITY);
  if (problem !== undefined) invalid(problem);
  return name;
}

export function printString(text: string): string {
  let out = '"';
  let chunkStart = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    let replacement: string | undefined;
    if (code === 34) replacement = '\\"';
    else if (code === 92) replacement = '\\\\';
    else if (code === 10) replacement = '\\n';
    else if (code === 9) replacement = '\\t';
    else if (code === 13) replacement = '\\r';
    else if (code < 32 || code === 127) replacement = `\\u{${code.toString(16)}}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        invalid(`string holds an unpaired UTF-16 surrogate at index ${index}`);
      }
      index++;
    }
    if (replacement !== undefined) {
      out += text.slice(chunkStart, index) + replacement;
      chunkStart = index + 1;
    }
  }
  return `${out}${text.slice(chunkStart)}"`;
}

export function printValue(value: Value): string {
  if (typeof value === 'string') return isBareConstant(value) ? value : printString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(`number ${value} is not finite`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return invalid(`${String(value)} is not a string, number or boolean`);
}

export function printTerm(term: Term): string {
  return term.kind === 'var' ? `?${printName(term.name, 'variable')}` : printValue(term.value);
}

export function printAtom(atom: Atom): string {
  const predicate = printName(atom.predicate, 'predicate');
  if (atom.args.length === 0) return predicate;
  return `${predicate}(${atom.args.map(printTerm).join(', ')})`;
}

function printBodyItem(item: BodyItem): string {
  if (item.kind === 'literal') return `${item.negated ? 'not ' : ''}${printAtom(item.atom)}`;
  return `${printTerm(item.left)} ${item.operator} ${printTerm(item.right)}`;
}

function printBody(body: readonly BodyItem[]): string {
  if (body.length === 0) invalid('a body needs at least one item');
  return body.map(printBodyItem).join(', ');
}

function printTime(time: number, name: string): string {
  if (!isValidTime(time))
    invalid(`${name} ${time} is not a whole millisecond time in years 0000–9999`);
  return printString(formatTime(time));
}

export function printFact(fact: Fact): string {
  assertFactGround(fact);
  const annotations: string[] = [];
  if (fact.confidence !== undefined) annotations.push(`confidence=${printValue(fact.confidence)}`);
  if (fact.validFrom !== undefined) {
    annotations.push(`valid_from=${printTime(fact.validFrom, 'validFrom')}`);
  }
  if (fact.validUntil !== undefined) {
    annotations.push(`valid_until=${printTime(fact.validUntil, 'validUntil')}`);
  }
  if (fact.ttlSeconds !== undefined) annotations.push(`ttl=${printValue(fact.ttlSeconds)}`);
  const suffix = annotations.length === 0 ? '' : ` [${annotations.join(', ')}]`;
  return `${fact.negated ? 'not ' : ''}${printAtom(fact.atom)}${suffix}.`;
}

export function printRule(rule: Rule): string {
  return `${printAtom(rule.head)} :- ${printBody(rule.body)}.`;
}

export function printQuery(query: Query): string {
  return `${printBody(query.body)}.`;
}

export function printClause(clause: Clause): string {
  return clause.kind === 'fact' ? printFact(clause) : printRule(clause);
}

/** One clause per line, each ending with `.` and a line break. */
export function printProgram(clauses: readonly Clause[]): string {
  return clauses.map((clause) => `${printClause(clause)}\n`).join('');
}
