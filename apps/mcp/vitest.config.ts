import { defineCairnConfig } from '@cairn/vitest-config';

export default defineCairnConfig();
