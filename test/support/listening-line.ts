import type { Readable } from 'node:stream';

export interface ListeningWait {
  /** Where the process prints its JSON log lines. */
  readonly stream: Readable | null;
  /** Settles when the process exits (with its exit code, if known). */
  readonly exited: Promise<number | null | undefined>;
  readonly timeoutMs: number;
  /** Names the process in errors, e.g. "cairn serve". */
  readonly name: string;
  /** What the process printed so far, appended to errors. */
  readonly output: () => string;
  /** Called before rejecting on timeout (e.g. to kill the process). */
  readonly onTimeout?: () => void;
  /** Sees every JSON line (a caller that keeps the logs). */
  readonly onRecord?: (record: Record<string, unknown>) => void;
}

/**
 * Resolves with the URL of the process's first `{"msg":"listening","url":…}` JSON log line;
 * rejects if it exits first or says nothing of the kind within the timeout. Cairn's server and
 * bridge both announce their port this way (they listen on port 0 in tests).
 */
export function waitForListening(wait: ListeningWait): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => {
      wait.onTimeout?.();
      reject(
        new Error(`${wait.name} did not listen within ${wait.timeoutMs} ms\n${wait.output()}`),
      );
    }, wait.timeoutMs);
    wait.stream?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not a log line
        }
        wait.onRecord?.(record);
        if (record.msg === 'listening' && typeof record.url === 'string') {
          clearTimeout(timer);
          resolve(record.url);
        }
      }
    });
    void wait.exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(`${wait.name} exited (${code ?? 'signal'}) before listening\n${wait.output()}`),
      );
    });
  });
}
