import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

let data: Awaited<ReturnType<typeof createTempDataDir>>;
let server: ServerProcess;

beforeAll(async () => {
  data = await createTempDataDir();
  server = await startServer({ DATA_DIR: data.dir });
});
afterAll(async () => {
  await server?.stop();
  await data?.remove();
});

test('the GraphQL-over-HTTP audit passes every MUST', async () => {
  const audits = serverAudits({ url: server.graphqlUrl, fetchFn: fetch });
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (result.status === 'ok') continue;
    const line = `${audit.name}: ${result.reason}`;
    if (audit.name.startsWith('MUST')) failures.push(line);
    else warnings.push(line);
  }
  if (warnings.length > 0)
    console.info(`SHOULD/MAY audits not met (${warnings.length}):\n${warnings.join('\n')}`);
  expect(failures).toEqual([]);
  expect(audits.length).toBeGreaterThan(20);
});
