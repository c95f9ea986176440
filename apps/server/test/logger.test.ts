import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogger } from '../src/observability/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { lines, destination };
}

test('json lines by default, credential-like keys redacted', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info', format: 'json', destination });
  logger.info({ apiKey: 'cairn_secret', request: { token: 'tok' }, requestId: 'r1' }, 'hello');
  logger.debug('hidden at info');
  expect(lines).toHaveLength(1);
  const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  expect(record).toMatchObject({
    level: 'info',
    msg: 'hello',
    requestId: 'r1',
    apiKey: '[redacted]',
  });
  expect(lines[0]).not.toMatch(/cairn_secret|"tok"/);
});

test('text format: one readable line per record', async () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info', format: 'text', destination });
  logger.warn({ file: '/data/master.key' }, 'local key');
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ WARN {2}local key file=\/data\/master\.key$/);
});
