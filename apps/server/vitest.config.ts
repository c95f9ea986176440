import { createRequire } from 'node:module';
import { defineCairnConfig } from '@cairn/vitest-config';

// graphql 16 ships CJS (`main`) and ESM (`module`) without an `exports` map: Node loads the CJS
// build for yoga and Pothos while vite would hand our sources the ESM one, and graphql refuses
// types from "another realm". Pin everything to the build Node itself resolves.
const graphql = createRequire(import.meta.url).resolve('graphql');

export default defineCairnConfig({ resolve: { alias: { graphql } } });
