import { defineCairnConfig } from '@cairn/vitest-config';

// The fault-injection and crash suites walk every byte and kill real processes: CPU-bound
// work whose duration depends on what else the shared 2-core machine runs. The limit is a hang
// guard, not a speed assertion.
export default defineCairnConfig({ test: { testTimeout: 180_000 } });
