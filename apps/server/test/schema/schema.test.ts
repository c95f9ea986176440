import { lexicographicSortSchema, printSchema } from 'graphql';
import { expect, test } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';

// Every change to the public API shows up in review as a diff of this file.
test('the GraphQL schema', async () => {
  await expect(printSchema(lexicographicSortSchema(buildSchema()))).toMatchFileSnapshot(
    '__snapshots__/schema.graphql.txt',
  );
});
