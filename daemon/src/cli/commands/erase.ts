import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { eraseSession } from '../../privacy/eraseSession.js';
import { openStore } from '../../store/openStore.js';

/** `kycd erase --session ID [--force] [--json]`: erase a session's personal data. */
export function registerEraseCommand(program: Command, ctx: CliContext): void {
  program
    .command('erase')
    .description(
      "erase a session's personal data (data-subject erasure request); the audit trail keeps that it happened",
    )
    .requiredOption('--session <id>', 'session id')
    .option(
      '--force',
      'also erase a registration still queued for the carrier (it will then never be delivered)',
    )
    .option('--json', 'print what was erased as JSON')
    .action((opts: { session: string; force?: boolean; json?: boolean }, command: Command) => {
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const result = eraseSession(store, opts.session, {
          force: opts.force === true,
          actor: 'cli',
        });
        const found =
          result.session || result.sessionEvents > 0 || result.evidence > 0 || result.record;
        if (!found) process.exitCode = 1;
        if (!found && opts.json !== true) {
          process.stderr.write(`nothing is stored about session ${opts.session} [not_found]\n`);
          return;
        }
        if (opts.json === true) ctx.printJson(result);
        else
          process.stderr.write(
            `erased session ${opts.session}: row ${result.session ? 'deleted' : 'absent'}, ${result.sessionEvents} events, ${result.evidence} evidence blobs, record ${result.record ? 'dropped' : 'absent'}\n`,
          );
      } finally {
        store.close();
      }
    });
}
