import { LogicError, type LogicErrorCode } from '../errors.js';
import type {
  Atom,
  BodyItem,
  ComparisonOperator,
  Fact,
  Rule,
  Term,
  Value,
} from '../language/ast.js';

// The compact JSON shapes operations and snapshots are written in. Terms are bare JSON values
// for constants and {"v": name} for variables; short keys keep WAL records small.

export type WireTerm = Value | { v: string };
export interface WireAtom {
  p: string;
  a: WireTerm[];
}

const OPERATORS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

export function termToWire(term: Term): WireTerm {
  return term.kind === 'const' ? term.value : { v: term.name };
}

export function atomToWire(atom: Atom): WireAtom {
  return { p: atom.predicate, a: atom.args.map(termToWire) };
}

export function ruleToWire(rule: Rule): unknown {
  return {
    h: atomToWire(rule.head),
    b: rule.body.map((item) =>
      item.kind === 'literal'
        ? { l: atomToWire(item.atom), ...(item.negated ? { n: true } : {}) }
        : { o: item.operator, l: termToWire(item.left), r: termToWire(item.right) },
    ),
  };
}

export function factToWire(fact: Fact): unknown {
  return {
    ...atomToWire(fact.atom),
    ...(fact.negated ? { n: true } : {}),
    ...(fact.confidence !== undefined ? { c: fact.confidence } : {}),
    ...(fact.validFrom !== undefined ? { f: fact.validFrom } : {}),
    ...(fact.validUntil !== undefined ? { u: fact.validUntil } : {}),
    ...(fact.ttlSeconds !== undefined ? { t: fact.ttlSeconds } : {}),
  };
}

/** Reads wire JSON back into AST values, rejecting anything malformed with `code`. */
export class WireReader {
  constructor(private readonly code: LogicErrorCode) {}

  fail(message: string): never {
    throw new LogicError(this.code, message);
  }

  object(value: unknown, what: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${what} must be an object`);
    return value as Record<string, unknown>;
  }

  string(value: unknown, what: string): string {
    if (typeof value !== 'string') this.fail(`${what} must be a string`);
    return value;
  }

  number(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(`${what} must be a finite number`);
    return value;
  }

  optionalNumber(value: unknown, what: string): number | undefined {
    return value === undefined ? undefined : this.number(value, what);
  }

  optionalString(value: unknown, what: string): string | undefined {
    return value === undefined ? undefined : this.string(value, what);
  }

  term(value: unknown, what: string): Term {
    if (typeof value === 'string' || typeof value === 'boolean') return { kind: 'const', value };
    if (typeof value === 'number') return { kind: 'const', value: this.number(value, what) };
    const o = this.object(value, what);
    return { kind: 'var', name: this.string(o.v, `${what}.v`) };
  }

  atom(value: unknown, what: string): Atom {
    const o = this.object(value, what);
    const predicate = this.string(o.p, `${what}.p`);
    if (predicate.length === 0) this.fail(`${what}.p must not be empty`);
    if (!Array.isArray(o.a)) this.fail(`${what}.a must be an array`);
    return { predicate, args: o.a.map((t, i) => this.term(t, `${what}.a[${i}]`)) };
  }

  fact(value: unknown, what: string): Fact {
    const o = this.object(value, what);
    const atom = this.atom(o, what);
    for (const [i, t] of atom.args.entries())
      if (t.kind !== 'const') this.fail(`${what}.a[${i}] must be a constant`);
    if (o.n !== undefined && o.n !== true) this.fail(`${what}.n must be true when present`);
    const confidence = this.optionalNumber(o.c, `${what}.c`);
    const validFrom = this.optionalNumber(o.f, `${what}.f`);
    const validUntil = this.optionalNumber(o.u, `${what}.u`);
    const ttlSeconds = this.optionalNumber(o.t, `${what}.t`);
    return {
      kind: 'fact',
      atom,
      negated: o.n === true,
      ...(confidence !== undefined ? { confidence } : {}),
      ...(validFrom !== undefined ? { validFrom } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
      ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    };
  }

  rule(value: unknown, what: string): Rule {
    const o = this.object(value, what);
    const head = this.atom(o.h, `${what}.h`);
    if (!Array.isArray(o.b)) this.fail(`${what}.b must be an array`);
    const body = o.b.map((item, i): BodyItem => {
      const where = `${what}.b[${i}]`;
      const b = this.object(item, where);
      if (b.o !== undefined) {
        const operator = this.string(b.o, `${where}.o`);
        if (!OPERATORS.has(operator)) this.fail(`${where}.o is not a comparison operator`);
        return {
          kind: 'compare',
          operator: operator as ComparisonOperator,
          left: this.term(b.l, `${where}.l`),
          right: this.term(b.r, `${where}.r`),
        };
      }
      if (b.n !== undefined && b.n !== true) this.fail(`${where}.n must be true when present`);
      return { kind: 'literal', atom: this.atom(b.l, `${where}.l`), negated: b.n === true };
    });
    return { kind: 'rule', head, body };
  }
}
