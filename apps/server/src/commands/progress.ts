export interface Progress {
  /** `[index/total] label` on one rewritten line. */
  step(index: number, total: number, label: string): void;
  done(): void;
}

interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Progress for long operations, shown only on a terminal: redirected output and CI logs stay
 * free of carriage-return noise, and scripts parse stdout without it.
 */
export function createProgress(stream: ProgressStream | undefined): Progress {
  if (stream?.isTTY !== true) return { step: () => {}, done: () => {} };
  let shown = false;
  return {
    step: (index, total, label) => {
      stream.write(`\r\x1b[2K[${index}/${total}] ${label}`);
      shown = true;
    },
    done: () => {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

export const silentProgress: Progress = { step: () => {}, done: () => {} };
