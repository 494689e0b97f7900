import type { Command } from 'commander';
import { DAEMON_VERSION } from '../../version.js';
import type { CliContext } from '../CliContext.js';

/** `kycd version [--json]`. */
export function registerVersionCommand(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('print the daemon and protocol versions')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { PROTOCOL } = await import('@kycd/plugin-sdk');
      const info = {
        daemonVersion: DAEMON_VERSION,
        protocol: PROTOCOL,
        node: process.versions.node,
      };
      if (options.json === true) ctx.printJson(info);
      else
        process.stdout.write(
          `kycd ${DAEMON_VERSION} (protocol ${PROTOCOL}, Node.js ${process.versions.node})\n`,
        );
    });
}
