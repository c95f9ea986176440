// Bounds on everything a client controls, so hostile input costs bounded time and memory.

export interface LanguageLimits {
  /** Characters of text accepted by one parse call (default 1 MiB). */
  readonly maxInputLength: number;
  /** Facts and rules in one program. */
  readonly maxClauses: number;
  /** Arguments of one atom. */
  readonly maxArity: number;
  /** Items in one rule or query body. */
  readonly maxBodyItems: number;
  /** Characters of a predicate or variable name. */
  readonly maxIdentifierLength: number;
  /** Characters of a string constant, bare or quoted. */
  readonly maxStringLength: number;
}

export const defaultLanguageLimits: LanguageLimits = Object.freeze({
  maxInputLength: 1024 * 1024,
  maxClauses: 100_000,
  maxArity: 64,
  maxBodyItems: 64,
  maxIdentifierLength: 256,
  maxStringLength: 65_536,
});

export interface LanguageOptions {
  readonly limits?: Partial<LanguageLimits>;
}

export function resolveLimits(options: LanguageOptions | undefined): LanguageLimits {
  return options?.limits === undefined
    ? defaultLanguageLimits
    : { ...defaultLanguageLimits, ...options.limits };
}
