/**
 * What an operations command failed on. `usage`: the command line or configuration is wrong
 * (exit 2); `failure`: the command ran and found a problem or could not finish (exit 1).
 * The message is the one line printed to stderr.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly kind: 'usage' | 'failure';

  constructor(kind: 'usage' | 'failure', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function exitCodeOf(error: CliError): number {
  return error.kind === 'usage' ? EXIT_USAGE : EXIT_FAILURE;
}
