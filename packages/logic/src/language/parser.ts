// A hand-written recursive-descent parser for the knowledge language. The grammar is flat (no
// compound terms), so the call depth is a small constant whatever the input.
//
//   program    = { clause }
//   clause     = fact | rule                     ended by "." , a line break, or the end
//   fact       = [ "not" ] atom [ annotations ]
//   rule       = atom ":-" body
//   query      = [ "?-" ] body [ "." ]
//   body       = item { "," item }
//   item       = "not" atom | term operator term | atom
//   atom       = name [ "(" [ term { "," term } ] ")" ]
//   term       = name | string | number | "true" | "false" | variable
//   annotations = "[" key "=" value { "," key "=" value } "]"

import { LogicError, type LogicErrorCode } from '../errors.js';
import { parseAnnotations } from './annotation-syntax.js';
import type { Atom, BodyItem, Clause, ComparisonOperator, Fact, Query, Rule, Term } from './ast.js';
import { describeBadName } from './identifiers.js';
import { createSyntaxError, Lexer, type Token } from './lexer.js';
import { type LanguageLimits, type LanguageOptions, resolveLimits } from './limits.js';
import type { PlainFactSink } from './plain-fact.js';
import { describeUnsafeVariable } from './safety.js';

type ClauseMode = 'fact' | 'rule' | 'any';

export class Parser {
  readonly lexer: Lexer;

  constructor(
    text: string,
    readonly limits: LanguageLimits,
    /** In a program a line break ends a complete clause; in a single clause it is a space. */
    private readonly linesEndClauses: boolean,
  ) {
    if (text.length > limits.maxInputLength) {
      throw new LogicError(
        'INVALID_VALUE',
        `text is ${text.length} characters long; the limit is ${limits.maxInputLength} (limits.maxInputLength)`,
      );
    }
    this.lexer = new Lexer(text, limits);
  }

  fail(token: Token, message: string, expected: readonly string[] = []): never {
    throw createSyntaxError(token.line, token.column, message, expected);
  }

  failExpecting(token: Token, expected: readonly string[]): never {
    this.fail(
      token,
      `expected ${joinAlternatives(expected)} but found ${describeToken(token)}`,
      expected,
    );
  }

  failAt(token: Token, code: LogicErrorCode, message: string): never {
    throw new LogicError(code, `line ${token.line}, column ${token.column}: ${message}`);
  }

  program(): Clause[] {
    const clauses: Clause[] = [];
    const plain: PlainFactSink = { fact: undefined, predicate: '', terms: [] };
    const lexer = this.lexer;
    for (;;) {
      if (clauses.length < this.limits.maxClauses && lexer.plainFact(plain)) {
        clauses.push(plain.fact as Fact);
        continue;
      }
      if (lexer.peek().kind === 'end') break;
      if (clauses.length >= this.limits.maxClauses) {
        this.fail(
          this.lexer.peek(),
          `a program holds at most ${this.limits.maxClauses} clauses (limits.maxClauses)`,
        );
      }
      clauses.push(this.clause('any'));
    }
    return clauses;
  }

  clause(mode: ClauseMode): Clause {
    const first = this.lexer.peek();
    if (first.kind === '?-') {
      this.fail(first, 'a program holds facts and rules; ask queries separately');
    }
    if (first.kind === 'name' && first.value === 'not' && mode !== 'rule') {
      this.lexer.next();
      const atom = this.atom('a predicate after not');
      if (this.lexer.peek().kind === ':-' && !this.lexer.peek().newlineBefore) {
        this.fail(this.lexer.peek(), 'a rule head cannot be negated');
      }
      return this.factRest(first, atom, true, mode);
    }
    const head = this.atom(mode === 'rule' ? 'a rule head' : 'a fact or a rule');
    const next = this.lexer.peek();
    if (next.kind === ':-' && mode !== 'fact' && !(this.linesEndClauses && next.newlineBefore)) {
      this.lexer.next();
      const body = this.body();
      const rule: Rule = { kind: 'rule', head, body };
      this.endClause(["','"]);
      const problem = describeUnsafeVariable(head, body);
      if (problem !== undefined) this.failAt(first, 'UNSAFE_RULE', `unsafe rule: ${problem}`);
      return rule;
    }
    if (mode === 'rule') this.failExpecting(next, ["':-'"]);
    if (next.kind === ':-' && mode === 'fact') {
      this.fail(next, "expected a fact but found ':-' of a rule; teach rules separately", [
        "'.'",
        "'['",
        'end of input',
      ]);
    }
    return this.factRest(first, head, false, mode);
  }

  private factRest(first: Token, atom: Atom, negated: boolean, mode: ClauseMode): Fact {
    for (const [index, term] of atom.args.entries()) {
      if (term.kind === 'var') {
        this.failAt(
          first,
          'NOT_GROUND',
          `fact ${atom.predicate}/${atom.args.length} holds the variable ?${term.name} as argument ${index + 1}; facts hold constants only (write a rule with ':-' to derive facts)`,
        );
      }
    }
    const next = this.lexer.peek();
    if (next.kind === '[' && !(this.linesEndClauses && next.newlineBefore)) {
      const fact: Fact = { kind: 'fact', atom, negated, ...parseAnnotations(this) };
      this.endClause([]);
      return fact;
    }
    this.endClause(negated || mode === 'fact' ? ["'['"] : ["':-'", "'['"]);
    return { kind: 'fact', atom, negated };
  }

  /** A clause ends at ".", at the end of the input, or (in a program) at a line break. */
  endClause(alternatives: readonly string[]): void {
    const token = this.lexer.peek();
    if (token.kind === '.') {
      this.lexer.next();
      const after = this.lexer.peek();
      if (!this.linesEndClauses && after.kind !== 'end')
        this.failExpecting(after, ['end of input']);
      return;
    }
    if (token.kind === 'end' || (this.linesEndClauses && token.newlineBefore)) return;
    const end = this.linesEndClauses ? 'end of line' : 'end of input';
    this.failExpecting(token, ["'.'", ...alternatives, end]);
  }

  body(): BodyItem[] {
    const items: BodyItem[] = [];
    for (;;) {
      const token = this.lexer.peek();
      if (items.length >= this.limits.maxBodyItems) {
        this.fail(
          token,
          `a body holds at most ${this.limits.maxBodyItems} items (limits.maxBodyItems)`,
        );
      }
      items.push(this.bodyItem());
      if (this.lexer.peek().kind !== ',') return items;
      if (this.linesEndClauses && this.lexer.peek().newlineBefore) return items;
      this.lexer.next();
    }
  }

  private bodyItem(): BodyItem {
    const token = this.lexer.peek();
    if (token.kind === 'name') {
      if (token.value === 'not') {
        this.lexer.next();
        const after = this.lexer.peek();
        if (after.kind !== 'name' || after.value === 'true' || after.value === 'false') {
          this.fail(
            after,
            `expected a predicate after not but found ${describeToken(after)}; to negate a comparison use its opposite, like != for =`,
            ['a predicate'],
          );
        }
        return { kind: 'literal', atom: this.atom('a predicate'), negated: true };
      }
      const isConstant =
        token.value === 'true' || token.value === 'false' || this.lexer.peek(1).kind === 'operator';
      if (!isConstant) return { kind: 'literal', atom: this.atom('a literal'), negated: false };
    } else if (token.kind !== 'variable' && token.kind !== 'string' && token.kind !== 'number') {
      this.failExpecting(token, ['a literal', "'not'", 'a comparison']);
    }
    const left = this.term();
    const operator = this.lexer.peek();
    if (operator.kind !== 'operator') {
      this.failExpecting(operator, ["'='", "'!='", "'<'", "'<='", "'>'", "'>='"]);
    }
    this.lexer.next();
    const right = this.term();
    return { kind: 'compare', operator: operator.value as ComparisonOperator, left, right };
  }

  atom(what: string): Atom {
    const token = this.lexer.peek();
    if (token.kind !== 'name') this.failExpecting(token, [what]);
    const name = token.value as string;
    const problem = describeBadName(name, 'predicate', this.limits.maxIdentifierLength);
    if (problem !== undefined) this.fail(token, problem, [what]);
    this.lexer.next();
    const open = this.lexer.peek();
    if (open.kind !== '(' || (this.linesEndClauses && open.newlineBefore)) {
      return { predicate: name, args: [] };
    }
    this.lexer.next();
    const args: Term[] = [];
    if (this.lexer.peek().kind === ')') {
      this.lexer.next();
      return { predicate: name, args };
    }
    for (;;) {
      const start = this.lexer.peek();
      if (args.length >= this.limits.maxArity) {
        this.fail(
          start,
          `an atom takes at most ${this.limits.maxArity} arguments (limits.maxArity)`,
        );
      }
      args.push(this.term());
      const after = this.lexer.next();
      if (after.kind === ')') return { predicate: name, args };
      if (after.kind !== ',') this.failExpecting(after, ["','", "')'"]);
    }
  }

  term(): Term {
    const token = this.lexer.next();
    switch (token.kind) {
      case 'variable':
        return { kind: 'var', name: token.value as string };
      case 'string':
      case 'number':
        return { kind: 'const', value: token.value };
      case 'name':
        if (token.value === 'true') return { kind: 'const', value: true };
        if (token.value === 'false') return { kind: 'const', value: false };
        if (token.value === 'not') {
          this.fail(token, 'not is a reserved word; write "not" in quotes to mean the string', [
            'a term',
          ]);
        }
        return { kind: 'const', value: token.value };
      default:
        return this.failExpecting(token, ['a term']);
    }
  }
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the input';
    case 'name':
      return `'${token.value}'`;
    case 'variable':
      return `variable ?${token.value}`;
    case 'string':
      return 'a string';
    case 'number':
      return `number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}

function joinAlternatives(alternatives: readonly string[]): string {
  if (alternatives.length <= 1) return alternatives[0] ?? 'something else';
  return `${alternatives.slice(0, -1).join(', ')} or ${alternatives[alternatives.length - 1]}`;
}

/** Facts and rules, in order. */
export function parseProgram(text: string, options?: LanguageOptions): Clause[] {
  return new Parser(text, resolveLimits(options), true).program();
}

export function parseFact(text: string, options?: LanguageOptions): Fact {
  return new Parser(text, resolveLimits(options), false).clause('fact') as Fact;
}

export function parseRule(text: string, options?: LanguageOptions): Rule {
  return new Parser(text, resolveLimits(options), false).clause('rule') as Rule;
}

/** `anc(alice, ?x), not dead(?x), ?x != bob`, with an optional leading `?-` and trailing `.`. */
export function parseQuery(text: string, options?: LanguageOptions): Query {
  const parser = new Parser(text, resolveLimits(options), false);
  const first = parser.lexer.peek();
  if (first.kind === '?-') parser.lexer.next();
  const body = parser.body();
  parser.endClause(["','"]);
  const problem = describeUnsafeVariable(undefined, body);
  if (problem !== undefined) parser.failAt(first, 'UNSAFE_RULE', `unsafe query: ${problem}`);
  return { kind: 'query', body };
}
