import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { type Environment, parseConfig } from '../src/config.js';
import { announce } from '../src/observability/announce.js';
import { createCapturedLogger } from './support/test-server.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** What `cairn serve` prints once it listens, for one environment. */
async function readyLine(env: Environment): Promise<Record<string, string>> {
  const { config } = parseConfig({ DATA_DIR: '/tmp/cairn-announce-test', ...env });
  const listening = createServer();
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const { logger, lines } = createCapturedLogger();
  announce(config, listening, logger, '0.0.0-test');
  const ready = lines.map((line) => JSON.parse(line)).find((l) => /ready/.test(l.msg));
  if (ready === undefined) throw new Error(`no ready line in ${lines.join('\n')}`);
  return ready;
}

describe('the ready line', () => {
  test('auth disabled: a first tell and ask that work as printed, no credential', async () => {
    const ready = await readyLine({});
    expect(ready.tryTell).toMatch(/^curl -s http:\/\/127\.0\.0\.1:\d+\/graphql /);
    expect(ready.tryTell).not.toMatch(/Authorization|X-API-Key/);
    expect(ready.firstBootstrap).toBeUndefined();
  });

  test('legacy API_KEY: the commands send the key from the environment, never its value', async () => {
    const ready = await readyLine({ API_KEY: 'a-shared-key-that-must-not-be-printed-0123' });
    expect(ready.tryAsk).toContain('-H "X-API-Key: $API_KEY"');
    expect(JSON.stringify(ready)).not.toContain('a-shared-key-that-must-not-be-printed');
  });

  test('managed mode: bootstrap comes first, then tell and ask with the issued key', async () => {
    const ready = await readyLine({ AUTH_ENABLED: 'true' });
    expect(ready.firstBootstrap).toContain('bootstrap(username:');
    expect(ready.tryTell).toContain('-H "Authorization: Bearer $CAIRN_API_KEY"');
    expect(ready.tryAsk).toContain('-H "Authorization: Bearer $CAIRN_API_KEY"');
  });
});
