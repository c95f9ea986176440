import { defineCairnConfig } from '@cairn/vitest-config';

// End-to-end suites start real server processes from the built `dist/` files (turbo builds
// every dependency first), so they run one file at a time.
export default defineCairnConfig({
  test: { include: ['e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 120_000 },
});
