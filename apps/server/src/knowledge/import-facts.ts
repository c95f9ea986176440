import { type Fact, LogicError, parseFact } from '@cairn/logic';
import type { DatabaseRegistry } from '../databases/registry.js';
import { CairnError } from '../errors.js';
import { type ImportSettings, readImportFile } from './import-file.js';
import { type Actor, resolveTargetNames, type Target } from './operations.js';

/** More facts than this in one file is refused: one import is one log record. */
export const MAX_IMPORT_FACTS = 100_000;

export interface ImportResult {
  readonly database: string;
  readonly tenant: string;
  readonly count: number;
}

/**
 * Imports a file of facts (one per line in the text syntax; blank lines and `%`/`#` comments
 * skipped) from IMPORT_DIR into one tenant, all-or-nothing in one durable operation.
 */
export async function importFacts(
  registry: DatabaseRegistry,
  actor: Actor,
  target: Target,
  path: string,
  settings: ImportSettings,
): Promise<ImportResult> {
  const names = resolveTargetNames(actor, target);
  const database = registry.get(names.database);
  const facts = parseFactLines(await readImportFile(settings, path));
  if (facts.length === 0) {
    throw new CairnError('BAD_USER_INPUT', 'the file holds no facts', { argument: 'path' });
  }
  const at = Date.now();
  await database.commit({ type: 'assert', tenant: names.tenant, facts, at, by: actor.id }, 'path');
  return { database: names.database, tenant: names.tenant, count: facts.length };
}

const POSITION = /^line \d+, column (\d+): /;

/** One fact per line; an error names the file's line and column. */
export function parseFactLines(text: string): Fact[] {
  const facts: Fact[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('%') || trimmed.startsWith('#')) continue;
    if (facts.length === MAX_IMPORT_FACTS) {
      throw new CairnError(
        'BAD_USER_INPUT',
        `the file holds more than ${MAX_IMPORT_FACTS} facts; split it`,
        {
          argument: 'path',
        },
      );
    }
    try {
      facts.push(parseFact(line));
    } catch (error) {
      if (!(error instanceof LogicError)) throw error;
      // The parser counts within the line; the caller needs the position in the file.
      const column =
        'column' in error ? Number(error.column) : Number(POSITION.exec(error.message)?.[1] ?? 1);
      const message = error.message.replace(POSITION, '');
      throw new CairnError(
        'BAD_USER_INPUT',
        `path: line ${index + 1}, column ${column}: ${message}`,
        {
          cause: error,
          argument: 'path',
          line: index + 1,
          column,
        },
      );
    }
  }
  return facts;
}
