import type { ViteUserConfig } from 'vitest/config';

export declare function defineCairnConfig(overrides?: ViteUserConfig): ViteUserConfig;
