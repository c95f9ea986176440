import { lexicographicSortSchema, printSchema } from 'graphql';
import { expect, test } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';

// @cairn/client types its operations from its own copy of the schema. When this fails, the
// server's API changed: regenerate the copy with `pnpm exec vitest run test/schema -u` here,
// then `pnpm generate` in packages/client, and fix any operation the compiler then rejects.
test('packages/client/schema.graphql is the server schema', async () => {
  await expect(printSchema(lexicographicSortSchema(buildSchema()))).toMatchFileSnapshot(
    '../../../../packages/client/schema.graphql',
  );
});
