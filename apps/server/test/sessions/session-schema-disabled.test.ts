import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, graphql, openTestStore, type TestStore } from '../support/test-server.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});

describe('session mutations outside managed mode', () => {
  it.each([
    ['login', 'mutation { login(username: "a", password: "b") { accessToken } }'],
    ['refreshSession', 'mutation { refreshSession(refreshToken: "x") { accessToken } }'],
    ['logout', 'mutation { logout(refreshToken: "x") }'],
  ])('%s answers BAD_USER_INPUT naming AUTH_ENABLED', async (_name, query) => {
    for (const auth of [
      { mode: 'disabled' as const },
      { mode: 'legacy' as const, apiKey: 'legacy-shared-key-0123456789' },
    ]) {
      const app = createTestApp(store, { auth });
      const result = await graphql(app, query, {}, { 'x-api-key': 'legacy-shared-key-0123456789' });
      expect(result.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('login needs AUTH_ENABLED=true'),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });
});
