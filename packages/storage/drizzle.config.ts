import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this file: migrations are applied by openSqlStore at runtime.
// biome-ignore lint/style/noDefaultExport: drizzle-kit loads its configuration as a default export.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/sql/schema/index.ts',
  out: './drizzle',
});
