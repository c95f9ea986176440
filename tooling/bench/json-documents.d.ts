export interface ParsedOutput {
  /** JSON values found in the output, in order. */
  readonly documents: unknown[];
  /** Lines that were neither JSON nor pnpm's `> script` headers. */
  readonly otherLines: string[];
}

export function parseJsonDocuments(text: string): ParsedOutput;
