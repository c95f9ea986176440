import { z } from 'zod';

// Shared pieces of the tools' input and output schemas; descriptions are written for a model.

export const databaseArgument = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe(
    'Database (knowledge base) to use. Omit for the configured default, usually "default".',
  );

export const tenantArgument = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe("Tenant (data partition inside the database). Omit for the caller's own tenant.");

export const factOutput = z.object({
  text: z.string().describe('The fact in Cairn syntax'),
  predicate: z.string(),
  args: z.array(z.unknown()),
  negated: z.boolean(),
  tenant: z.string(),
  confidence: z.number().nullable(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  assertedAt: z.string(),
  assertedBy: z.string().nullable(),
});

export const ruleOutput = z.object({
  id: z.string(),
  head: z.string(),
  text: z.string(),
  taughtAt: z.string(),
  taughtBy: z.string().nullable(),
});
