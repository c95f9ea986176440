import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// The operations are typed from src/graphql-env.ts; it must be the introspection of
// schema.graphql, or the types describe an API that does not exist. Fix: `pnpm generate`.
test('src/graphql-env.ts is generated from schema.graphql', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-client-env-'));
  try {
    const output = join(dir, 'graphql-env.ts');
    execFileSync(
      join(packageDir, 'node_modules/.bin/gql.tada'),
      ['generate-output', '--output', output],
      {
        cwd: packageDir,
        stdio: 'ignore',
        timeout: 60_000,
      },
    );
    expect(readFileSync(join(packageDir, 'src/graphql-env.ts'), 'utf8')).toBe(
      readFileSync(output, 'utf8'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The generator starts TypeScript: seconds on a busy machine.
}, 60_000);
