import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { purgeExpired } from '../../privacy/purgeExpired.js';
import { openStore } from '../../store/openStore.js';

/** `kycd purge [--json]`: remove now what the retention settings no longer allow. */
export function registerPurgeCommand(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description(
      'purge expired evidence, old sessions and old registration records now (the daemon also does it on a timer)',
    )
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const config = await ctx.config(command);
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const result = purgeExpired(store, config.privacy);
        if (opts.json === true) ctx.printJson(result);
        else
          process.stderr.write(
            `purged ${result.evidence} evidence blobs, ${result.sessions} sessions (${result.sessionEvents} events), ${result.records} registration records\n`,
          );
      } finally {
        store.close();
      }
    });
}
