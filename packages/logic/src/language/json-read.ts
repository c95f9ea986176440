// Strict reading of the JSON form from `unknown` input. Every error names the path of the bad
// part (`body[2].args[0]`) and what was expected there.

import { LogicError, type LogicErrorCode } from '../errors.js';
import {
  describeBadCombination,
  describeBadConfidence,
  describeBadTtl,
  type FactAnnotations,
  jsonAnnotationNames,
} from './annotations.js';
import type { Atom, BodyItem, ComparisonOperator, Fact, Query, Rule, Term, Value } from './ast.js';
import { describeBadName } from './identifiers.js';
import { type LanguageLimits, type LanguageOptions, resolveLimits } from './limits.js';
import { describeUnsafeVariable } from './safety.js';
import { describeBadValue, describeJsonType, normalizeValue, parseTime } from './values.js';

const operators: readonly ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];

function fail(path: string, message: string, code: LogicErrorCode = 'INVALID_JSON'): never {
  throw new LogicError(code, `${path === '' ? 'at the top level' : `at ${path}`}: ${message}`);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function readObject(
  value: unknown,
  path: string,
  what: string,
  allowed: readonly string[],
  required: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected ${what} (an object); got ${describeJsonType(value)}`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      fail(join(path, key), `unknown field in ${what}; allowed fields are ${allowed.join(', ')}`);
    }
  }
  for (const key of required) {
    if (record[key] === undefined) fail(join(path, key), `${what} needs the field "${key}"`);
  }
  return record;
}

function readArray(value: unknown, path: string, max: number, limitName: string): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array; got ${describeJsonType(value)}`);
  if (value.length > max) {
    fail(path, `holds ${value.length} items; the limit is ${max} (limits.${limitName})`);
  }
  return value;
}

function readName(
  value: unknown,
  path: string,
  what: 'predicate' | 'variable',
  limits: LanguageLimits,
): string {
  if (typeof value !== 'string')
    fail(path, `expected a ${what} name (a string); got ${describeJsonType(value)}`);
  const problem = describeBadName(value, what, limits.maxIdentifierLength);
  if (problem !== undefined) fail(path, problem);
  return value;
}

function readValue(value: unknown, path: string, limits: LanguageLimits): Value {
  const problem = describeBadValue(value, limits.maxStringLength);
  if (problem !== undefined) fail(path, problem);
  return normalizeValue(value as Value);
}

function readTerm(value: unknown, path: string, limits: LanguageLimits): Term {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = readObject(value, path, 'a variable', ['var'], ['var']);
    return { kind: 'var', name: readName(record.var, join(path, 'var'), 'variable', limits) };
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    fail(
      path,
      `expected a string, number, boolean or {"var": name}; got ${describeJsonType(value)}`,
    );
  }
  return { kind: 'const', value: readValue(value, path, limits) };
}

function readAtomFields(
  record: Record<string, unknown>,
  path: string,
  limits: LanguageLimits,
): Atom {
  const predicate = readName(record.predicate, join(path, 'predicate'), 'predicate', limits);
  const argsPath = join(path, 'args');
  const args = readArray(record.args, argsPath, limits.maxArity, 'maxArity');
  return {
    predicate,
    args: args.map((arg, index) => readTerm(arg, join(argsPath, index), limits)),
  };
}

function readBoolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    fail(path, `expected true or false; got ${describeJsonType(value)}`);
  return value;
}

function readBody(value: unknown, path: string, limits: LanguageLimits): BodyItem[] {
  const items = readArray(value, path, limits.maxBodyItems, 'maxBodyItems');
  if (items.length === 0) fail(path, 'a body needs at least one item');
  return items.map((item, index) => readBodyItem(item, join(path, index), limits));
}

function readBodyItem(value: unknown, path: string, limits: LanguageLimits): BodyItem {
  if (typeof value === 'object' && value !== null && 'compare' in value) {
    const record = readObject(
      value,
      path,
      'a comparison',
      ['compare', 'left', 'right'],
      ['compare', 'left', 'right'],
    );
    const operator = record.compare;
    if (!operators.includes(operator as ComparisonOperator)) {
      fail(
        join(path, 'compare'),
        `expected one of ${operators.join(' ')}; got ${describeJsonType(operator)}`,
      );
    }
    return {
      kind: 'compare',
      operator: operator as ComparisonOperator,
      left: readTerm(record.left, join(path, 'left'), limits),
      right: readTerm(record.right, join(path, 'right'), limits),
    };
  }
  const record = readObject(
    value,
    path,
    'a literal',
    ['predicate', 'args', 'negated'],
    ['predicate', 'args'],
  );
  const atom = readAtomFields(record, path, limits);
  return { kind: 'literal', atom, negated: readBoolean(record.negated, join(path, 'negated')) };
}

export function atomFromJson(json: unknown, options?: LanguageOptions): Atom {
  const record = readObject(json, '', 'an atom', ['predicate', 'args'], ['predicate', 'args']);
  return readAtomFields(record, '', resolveLimits(options));
}

const factFields = [
  'predicate',
  'args',
  'negated',
  'confidence',
  'validFrom',
  'validUntil',
  'ttlSeconds',
];

export function factFromJson(json: unknown, options?: LanguageOptions): Fact {
  const limits = resolveLimits(options);
  const record = readObject(json, '', 'a fact', factFields, ['predicate', 'args']);
  const atom = readAtomFields(record, '', limits);
  atom.args.forEach((term, index) => {
    if (term.kind === 'var') {
      fail(
        join('args', index),
        'facts hold constants only, not variables (a string starting with "?" is a constant)',
        'NOT_GROUND',
      );
    }
  });
  const annotations: FactAnnotations = {};
  const check = (problem: string | undefined, path: string): void => {
    if (problem !== undefined) fail(path, problem, 'INVALID_VALUE');
  };
  if (record.confidence !== undefined) {
    check(describeBadConfidence(record.confidence), 'confidence');
    annotations.confidence = normalizeValue(record.confidence as number) as number;
  }
  if (record.ttlSeconds !== undefined) {
    check(describeBadTtl(record.ttlSeconds), 'ttlSeconds');
    annotations.ttlSeconds = record.ttlSeconds as number;
  }
  for (const key of ['validFrom', 'validUntil'] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      fail(
        key,
        `expected an ISO-8601 date-time string like "2026-01-01T00:00:00Z"; got ${describeJsonType(value)}`,
      );
    }
    const time = parseTime(value);
    if (typeof time === 'string') fail(key, time, 'INVALID_VALUE');
    annotations[key] = time;
  }
  const combination = describeBadCombination(annotations, jsonAnnotationNames);
  if (combination !== undefined) fail('', combination, 'INVALID_VALUE');
  const negated = readBoolean(record.negated, 'negated');
  return { kind: 'fact', atom, negated, ...annotations };
}

export function ruleFromJson(json: unknown, options?: LanguageOptions): Rule {
  const limits = resolveLimits(options);
  const record = readObject(json, '', 'a rule', ['head', 'body'], ['head', 'body']);
  const headRecord = readObject(
    record.head,
    'head',
    'an atom',
    ['predicate', 'args'],
    ['predicate', 'args'],
  );
  const head = readAtomFields(headRecord, 'head', limits);
  const body = readBody(record.body, 'body', limits);
  const problem = describeUnsafeVariable(head, body);
  if (problem !== undefined) fail('', `unsafe rule: ${problem}`, 'UNSAFE_RULE');
  return { kind: 'rule', head, body };
}

export function queryFromJson(json: unknown, options?: LanguageOptions): Query {
  const limits = resolveLimits(options);
  const record = readObject(json, '', 'a query', ['body'], ['body']);
  const body = readBody(record.body, 'body', limits);
  const problem = describeUnsafeVariable(undefined, body);
  if (problem !== undefined) fail('', `unsafe query: ${problem}`, 'UNSAFE_RULE');
  return { kind: 'query', body };
}
