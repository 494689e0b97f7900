import type { Command } from 'commander';
import type { CliContext } from './CliContext.js';
import { registerTokensCommand } from './commands/tokens.js';

/**
 * Every `kycd` command, one module each under `commands/`. Add a line here when you add one.
 */
export function registerCommands(program: Command, ctx: CliContext): void {
  void ctx;
  registerTokensCommand(program, ctx);
  program
    .command('version')
    .description('print the daemon and protocol versions')
    .option('--json', 'print JSON')
    .action(async () => {
      const { DAEMON_VERSION } = await import('../version.js');
      process.stdout.write(`${DAEMON_VERSION}\n`);
    });
}
