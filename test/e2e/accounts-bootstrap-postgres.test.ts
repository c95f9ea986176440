import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresDatabase, type PostgresTestDatabase } from '../support/postgres.js';
import { createTempDataDir, type ServerProcess, startServer } from '../support/server-process.js';

// Bootstrap must work exactly once even when two servers share one PostgreSQL and callers
// race on both: the first-user lock lives in the database, not in a process.
const ADMIN_URL = process.env.TEST_DATABASE_URL;

if (ADMIN_URL === undefined || ADMIN_URL === '') {
  if (process.env.CI === 'true') {
    test('TEST_DATABASE_URL is set in CI', () => {
      throw new Error('CI=true but TEST_DATABASE_URL is unset');
    });
  } else {
    console.warn(
      '\n*** POSTGRES MISSING: set TEST_DATABASE_URL to run accounts-bootstrap-postgres.test.ts ***\n',
    );
    test.skip('POSTGRES MISSING: set TEST_DATABASE_URL to race bootstrap across two servers', () => {});
  }
} else {
  const adminUrl = ADMIN_URL;
  let database: PostgresTestDatabase;
  const dirs: Array<Awaited<ReturnType<typeof createTempDataDir>>> = [];
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl);
    const ENCRYPTION_KEY = formatKey(generateMasterKey());
    for (let i = 0; i < 2; i++) {
      const data = await createTempDataDir('cairn-e2e-bootstrap-pg-');
      dirs.push(data);
      servers.push(
        await startServer({
          DATA_DIR: data.dir,
          DATABASE_URL: database.url,
          ENCRYPTION_KEY,
          AUTH_ENABLED: 'true',
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.stop('SIGTERM');
    await database?.drop();
    for (const data of dirs) await data.remove();
  });

  test('of twelve bootstraps racing on two servers, exactly one wins', async () => {
    const attempts = Array.from({ length: 12 }, (_, i) =>
      (servers[i % 2] as ServerProcess).graphql(
        'mutation ($u: String!) { bootstrap(username: $u, password: "correct horse battery", keyName: "k") { apiKey } }',
        { u: `racer${i}` },
      ),
    );
    const results = await Promise.all(attempts);
    const winners = results.filter((r) => r.body.data?.bootstrap != null);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.body.data?.bootstrap == null)) {
      expect(loser.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const [row] = await database.sql`select count(*)::int as n from users`;
    expect(row?.n).toBe(1);
    const [keys] = await database.sql`select count(*)::int as n from api_keys`;
    expect(keys?.n).toBe(1);
    // The winner's key works on both servers.
    const apiKey =
      (winners[0]?.body.data?.bootstrap as { apiKey: string } | undefined)?.apiKey ?? '';
    for (const server of servers) {
      const me = await server.graphql('{ me { kind } }', {}, { authorization: `Bearer ${apiKey}` });
      expect(me.body.data?.me).toEqual({ kind: 'api-key' });
    }
  });
}
