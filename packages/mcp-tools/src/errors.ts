/** Mistakes in how the tools are set up (never a tool call's outcome: those are results). */
export type CairnToolsErrorCode = 'BAD_OPTIONS' | 'NO_CALLER';

export class CairnToolsError extends Error {
  readonly code: CairnToolsErrorCode;

  constructor(code: CairnToolsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnToolsError';
    this.code = code;
  }
}
