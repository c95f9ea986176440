// Quoted string literals: `"…"` with the escapes \" \\ \n \t \r and \u{…}. A string never spans
// lines, and every string it yields is well-formed UTF-16.

export function readStringLiteral(
  text: string,
  start: number,
  maxLength: number,
  fail: (offset: number, message: string, expected?: readonly string[]) => never,
): { value: string; end: number } {
  const parts: string[] = [];
  let length = 0;
  let chunkStart = start + 1;
  let index = start + 1;
  for (;;) {
    if (index >= text.length || text.charCodeAt(index) === 10) {
      fail(start, 'string is not closed: add a " before the end of the line', ["'\"'"]);
    }
    const code = text.charCodeAt(index);
    if (code === 34) break;
    if (code === 92) {
      if (index > chunkStart) {
        parts.push(text.slice(chunkStart, index));
        length += index - chunkStart;
      }
      const escaped = readEscape(text, index, fail);
      parts.push(escaped.value);
      length += escaped.value.length;
      index = escaped.end;
      chunkStart = index;
    } else if ((code < 32 && code !== 9) || code === 127) {
      fail(
        index,
        `${describeCharacter(text, index)} in a string: write it as \\u{${code.toString(16)}}`,
      );
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        fail(index, `${describeCharacter(text, index)} in a string`);
      }
      index += 2;
    } else {
      index++;
    }
    if (length + index - chunkStart > maxLength) {
      fail(start, `string is longer than the limit of ${maxLength} characters`);
    }
  }
  if (index > chunkStart) parts.push(text.slice(chunkStart, index));
  const value = parts.length === 1 ? (parts[0] as string) : parts.join('');
  return { value, end: index + 1 };
}

function readEscape(
  text: string,
  index: number,
  fail: (offset: number, message: string) => never,
): { value: string; end: number } {
  const letter = text[index + 1];
  switch (letter) {
    case '"':
      return { value: '"', end: index + 2 };
    case '\\':
      return { value: '\\', end: index + 2 };
    case 'n':
      return { value: '\n', end: index + 2 };
    case 't':
      return { value: '\t', end: index + 2 };
    case 'r':
      return { value: '\r', end: index + 2 };
    case 'u': {
      const close = text.indexOf('}', index + 3);
      const hex = close === -1 ? '' : text.slice(index + 3, close);
      if (text[index + 2] !== '{' || !/^[0-9a-fA-F]{1,6}$/.test(hex)) {
        fail(index, 'write a Unicode escape as \\u{…} with 1 to 6 hex digits, like \\u{e9}');
      }
      const codePoint = Number.parseInt(hex, 16);
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        fail(index, `\\u{${hex}} is not a Unicode scalar value`);
      }
      return { value: String.fromCodePoint(codePoint), end: close + 1 };
    }
    default:
      return fail(
        index,
        `unknown escape \\${letter === undefined ? '' : letter}: use \\", \\\\, \\n, \\t, \\r or \\u{…}`,
      );
  }
}

/** A character for an error message, with its code point; control characters by code only. */
export function describeCharacter(text: string, index: number): string {
  const code = text.charCodeAt(index);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 32 || code === 127) return `control character ${hex}`;
  if (code >= 0xd800 && code <= 0xdfff) {
    const codePoint = text.codePointAt(index) ?? code;
    if (codePoint > 0xffff) {
      return `character '${String.fromCodePoint(codePoint)}' (U+${codePoint.toString(16).toUpperCase()})`;
    }
    return `unpaired UTF-16 surrogate ${hex}`;
  }
  return `character '${text[index]}' (${hex})`;
}
