import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('createProgress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const stream = recorder(false);
    const progress = createProgress(stream);
    progress.step(1, 2, 'verifying a');
    progress.done();
    expect(stream.written).toEqual([]);
  });

  it('rewrites one line on a terminal and clears it when done', () => {
    const stream = recorder(true);
    const progress = createProgress(stream);
    progress.step(1, 2, 'verifying a');
    progress.step(2, 2, 'verifying b');
    progress.done();
    expect(stream.written).toEqual([
      '\r\x1b[2K[1/2] verifying a',
      '\r\x1b[2K[2/2] verifying b',
      '\r\x1b[2K',
    ]);
  });
});
