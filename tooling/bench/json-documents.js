// @ts-check

/**
 * @typedef {object} ParsedOutput
 * @property {unknown[]} documents JSON values found in the output, in order
 * @property {string[]} otherLines lines that were neither JSON nor pnpm's `> script` headers
 */

/**
 * Reads the JSON documents a bench printed to stdout. A package's `bench` script may run more
 * than one program (`a.ts && pnpm run b`), so its output is a sequence of JSON values, each
 * starting on its own line (pretty-printed or not), possibly with pnpm's script headers between.
 *
 * @param {string} text
 * @returns {ParsedOutput}
 */
export function parseJsonDocuments(text) {
  /** @type {unknown[]} */
  const documents = [];
  /** @type {string[]} */
  const otherLines = [];
  let index = 0;
  while (index < text.length) {
    const lineEnd = text.indexOf('\n', index) === -1 ? text.length : text.indexOf('\n', index);
    const line = text.slice(index, lineEnd).trim();
    const first = text.slice(index, lineEnd).search(/\S/);
    if (line !== '' && (line.startsWith('{') || line.startsWith('['))) {
      const start = index + first;
      const end = findValueEnd(text, start);
      if (end !== -1) {
        try {
          documents.push(JSON.parse(text.slice(start, end)));
          index = end;
          continue;
        } catch {
          // not JSON after all: kept as an other line below
        }
      }
    }
    if (line !== '' && !line.startsWith('> ')) otherLines.push(line);
    index = lineEnd + 1;
  }
  return { documents, otherLines };
}

/**
 * The offset just past the object or array opening at `start`, or -1 when it never closes.
 * Brackets inside strings do not count.
 *
 * @param {string} text
 * @param {number} start
 */
function findValueEnd(text, start) {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}
