// Turns text into tokens on demand, so the first error in reading order is the one reported.
// Every loop advances through the input, so time is linear in its length.

import { LogicSyntaxError } from '../errors.js';
import { isIdentifierPart, isIdentifierStart } from './identifiers.js';
import type { LanguageLimits } from './limits.js';
import { type PlainFactSink, scanPlainFact } from './plain-fact.js';
import { describeCharacter, readStringLiteral } from './string-literal.js';

export type TokenKind =
  | 'name'
  | 'variable'
  | 'string'
  | 'number'
  | 'operator'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | '.'
  | ':-'
  | '?-'
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** A name, a variable name without `?`, a string's value, a number, or the punctuation. */
  readonly value: string | number;
  readonly line: number;
  readonly column: number;
  /** Whether a line break separates this token from the previous one. */
  readonly newlineBefore: boolean;
}

/** Longest number literal read: longer ones are never needed to spell a double exactly. */
const maxNumberLength = 400;

export function createSyntaxError(
  line: number,
  column: number,
  message: string,
  expected: readonly string[] = [],
): LogicSyntaxError {
  return new LogicSyntaxError(`line ${line}, column ${column}: ${message}`, {
    line,
    column,
    expected,
  });
}

export class Lexer {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private readonly buffer: Token[] = [];

  constructor(
    private readonly text: string,
    private readonly limits: LanguageLimits,
  ) {
    if (text.charCodeAt(0) === 0xfeff) {
      this.offset = 1;
      this.lineStart = 1;
    }
  }

  peek(ahead = 0): Token {
    while (this.buffer.length <= ahead) this.buffer.push(this.read());
    return this.buffer[ahead] as Token;
  }

  next(): Token {
    const token = this.peek();
    this.buffer.shift();
    return token;
  }

  /**
   * Reads a plain one-line fact (see plain-fact.ts) into `sink` when one comes next and no
   * token is buffered; returns false, consuming nothing, otherwise.
   */
  plainFact(sink: PlainFactSink): boolean {
    const buffered = this.buffer.length;
    // The general parser peeks past each clause's end: that one token, on the current line
    // (tokens never span lines), can be read again from its first character.
    const peeked = buffered === 1 ? (this.buffer[0] as Token) : undefined;
    if (buffered > 1 || (peeked !== undefined && peeked.line !== this.line)) return false;
    const offset = this.offset;
    const line = this.line;
    const lineStart = this.lineStart;
    if (peeked !== undefined) this.offset = lineStart + peeked.column - 1;
    else this.skipSpaceAndComments();
    const end = scanPlainFact(this.text, this.offset, this.limits, sink);
    if (end >= 0) {
      this.offset = end;
      if (peeked !== undefined) this.buffer.length = 0;
      return true;
    }
    this.offset = offset;
    this.line = line;
    this.lineStart = lineStart;
    return false;
  }

  private error(offset: number, message: string, expected: readonly string[] = []): never {
    throw createSyntaxError(this.line, offset - this.lineStart + 1, message, expected);
  }

  private skipSpaceAndComments(): boolean {
    const text = this.text;
    let newline = false;
    while (this.offset < text.length) {
      const code = text.charCodeAt(this.offset);
      if (code === 10) {
        newline = true;
        this.offset++;
        this.line++;
        this.lineStart = this.offset;
      } else if (code === 32 || code === 9 || code === 13) {
        this.offset++;
      } else if (code === 37 || code === 35) {
        const end = text.indexOf('\n', this.offset);
        this.offset = end === -1 ? text.length : end;
      } else {
        break;
      }
    }
    return newline;
  }

  private read(): Token {
    const newlineBefore = this.skipSpaceAndComments();
    const text = this.text;
    const start = this.offset;
    const column = start - this.lineStart + 1;
    // A method rather than a closure: this runs once per token.
    const make = Lexer.makeToken;
    this.column = column;
    this.newlineBefore = newlineBefore;
    if (start >= text.length) return make(this, 'end', '');
    const code = text.charCodeAt(start);
    const following = text.charCodeAt(start + 1);
    if (isIdentifierStart(code)) {
      return make(this, 'name', this.readName(start, this.limits.maxStringLength, 'name'));
    }
    if ((code >= 48 && code <= 57) || (code === 45 && following >= 48 && following <= 57)) {
      return make(this, 'number', this.readNumber(start));
    }
    switch (code) {
      case 34:
        return make(this, 'string', this.readString(start));
      case 63:
        if (following === 45) {
          this.offset += 2;
          return make(this, '?-', '?-');
        }
        if (!isIdentifierStart(following)) {
          this.error(start + 1, "expected a variable name after '?', like ?x", ['a variable name']);
        }
        return make(
          this,
          'variable',
          this.readName(start + 1, this.limits.maxIdentifierLength, 'variable name'),
        );
      case 40:
      case 41:
      case 91:
      case 93:
      case 44:
      case 46:
        this.offset++;
        return make(this, text[start] as TokenKind, text[start] as string);
      case 58:
        if (following !== 45) this.error(start, "expected ':-' after ':'", ["':-'"]);
        this.offset += 2;
        return make(this, ':-', ':-');
      case 61:
        this.offset++;
        return make(this, 'operator', '=');
      case 33:
        if (following !== 61) this.error(start, "expected '!=' after '!'", ["'!='"]);
        this.offset += 2;
        return make(this, 'operator', '!=');
      case 60:
      case 62: {
        const withEquals = following === 61;
        this.offset += withEquals ? 2 : 1;
        return make(this, 'operator', `${text[start]}${withEquals ? '=' : ''}`);
      }
      default:
        return this.error(start, `unexpected ${describeCharacter(text, start)}`);
    }
  }

  private column = 1;
  private newlineBefore = false;

  private static makeToken(lexer: Lexer, kind: TokenKind, value: string | number): Token {
    return {
      kind,
      value,
      line: lexer.line,
      column: lexer.column,
      newlineBefore: lexer.newlineBefore,
    };
  }

  private readString(start: number): string {
    const literal = readStringLiteral(
      this.text,
      start,
      this.limits.maxStringLength,
      (offset, message, expected) => this.error(offset, message, expected),
    );
    this.offset = literal.end;
    return literal.value;
  }

  private readName(start: number, maxLength: number, what: string): string {
    const text = this.text;
    let end = start + 1;
    while (end < text.length && isIdentifierPart(text.charCodeAt(end))) end++;
    if (end - start > maxLength) {
      this.error(start, `${what} is ${end - start} characters long; the limit is ${maxLength}`);
    }
    this.offset = end;
    return text.slice(start, end);
  }

  private readNumber(start: number): number {
    const text = this.text;
    let end = start;
    if (text.charCodeAt(end) === 45) end++;
    end = skipDigits(text, end);
    if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
      end = skipDigits(text, end + 1);
    }
    const exponent = text.charCodeAt(end);
    if (exponent === 101 || exponent === 69) {
      let after = end + 1;
      const sign = text.charCodeAt(after);
      if (sign === 43 || sign === 45) after++;
      if (isDigit(text.charCodeAt(after))) {
        end = skipDigits(text, after);
      }
    }
    if (end < text.length && isIdentifierPart(text.charCodeAt(end))) {
      let stop = end;
      while (stop < text.length && isIdentifierPart(text.charCodeAt(stop))) stop++;
      this.error(
        start,
        `malformed number ${JSON.stringify(text.slice(start, Math.min(stop, start + 40)))}: write numbers like -12, 3.14 or 1e3, and quote other text`,
      );
    }
    if (end - start > maxNumberLength) {
      this.error(
        start,
        `number is ${end - start} characters long; the limit is ${maxNumberLength}`,
      );
    }
    const value = Number(text.slice(start, end));
    if (!Number.isFinite(value)) {
      this.error(
        start,
        `number ${text.slice(start, Math.min(end, start + 40))} is too large for a double`,
      );
    }
    this.offset = end;
    return value === 0 ? 0 : value;
  }
}

function skipDigits(text: string, from: number): number {
  let end = from;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
