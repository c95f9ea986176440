// Names of predicates and variables, and which string constants may be written bare.

/** Words the parser gives a meaning of their own, so they are never predicate names. */
export const reservedWords: ReadonlySet<string> = new Set(['not', 'true', 'false']);

export function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * Letters, digits, `_` and `-`. The hyphen is allowed inside names (`acme-corp`) because the
 * language has no arithmetic; `.` is not, since it ends a clause.
 */
export function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57) || code === 45;
}

export function isIdentifier(text: string): boolean {
  if (text.length === 0 || !isIdentifierStart(text.charCodeAt(0))) return false;
  for (let index = 1; index < text.length; index++) {
    if (!isIdentifierPart(text.charCodeAt(index))) return false;
  }
  return true;
}

/** A string constant that prints without quotes and parses back to the same string. */
export function isBareConstant(text: string): boolean {
  return isIdentifier(text) && !reservedWords.has(text);
}

/** Why `name` cannot be a predicate (or variable) name, or undefined when it can. */
export function describeBadName(
  name: string,
  what: 'predicate' | 'variable',
  maxLength: number,
): string | undefined {
  if (name.length > maxLength) {
    return `${what} name is ${name.length} characters long; the limit is ${maxLength}`;
  }
  if (!isIdentifier(name)) {
    return `${what} name ${JSON.stringify(name)} is not a name: use a letter or _ followed by letters, digits, _ or -`;
  }
  if (what === 'predicate' && reservedWords.has(name)) {
    return `"${name}" is a reserved word and cannot name a predicate`;
  }
  return undefined;
}
