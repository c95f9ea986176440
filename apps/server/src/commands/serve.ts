import type { Command } from 'commander';

/** `cairn serve [--env-file <path>]`: the server itself (src/main.ts does the work). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Cairn GraphQL server (configuration from the environment, see DESIGN §2)')
    .option('--env-file <path>', 'read variables from this .env file (the environment wins)')
    .action(async (options: { envFile?: string }) => {
      // Loaded on demand: other commands should not pay for GraphQL and the SQL store.
      const { serve } = await import('../main.js');
      await serve(options.envFile === undefined ? {} : { envFile: options.envFile });
    });
}
