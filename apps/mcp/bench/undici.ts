import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The part of undici the bench uses. */
export interface Undici {
  Agent: new (options: { keepAliveTimeout: number }) => { close(): Promise<void> };
  request(
    url: URL,
    options: {
      method: 'POST';
      headers: Record<string, string>;
      body: Buffer | string;
      dispatcher: { close(): Promise<void> };
    },
  ): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: { text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> };
  }>;
}

/**
 * The very undici @cairn/client sends with (its own dependency, resolved from its package), so
 * the bench's plain-HTTP variants do the same client work as the GraphQL baseline.
 */
export function loadUndici(): Undici {
  const clientPackage = fileURLToPath(
    new URL('../../../packages/client/package.json', import.meta.url),
  );
  return createRequire(clientPackage)('undici') as Undici;
}
