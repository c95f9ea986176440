// Plain JavaScript on purpose: vitest loads its config before any TypeScript transform.
import { defineConfig, mergeConfig } from 'vitest/config';

// Sibling packages resolve to their TypeScript sources (see @cairn/tsconfig README).
const conditions = ['@cairn/source', 'node', 'import', 'module', 'default'];

/** @param {import('vitest/config').ViteUserConfig} [overrides] */
export function defineCairnConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: conditions } },
      test: {
        environment: 'node',
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // Two cores: keep a little headroom for the processes tests start.
        maxWorkers: 2,
      },
    }),
    overrides,
  );
}
