import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { EvidenceVault } from '../../privacy/EvidenceVault.js';
import { exportSession } from '../../privacy/exportSession.js';
import { openStore } from '../../store/openStore.js';

/** `kycd export --session ID`: everything held about a session, as JSON on stdout. */
export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('export everything stored about a session (data-subject access request) as JSON')
    .requiredOption('--session <id>', 'session id')
    .action(async (opts: { session: string }, command: Command) => {
      const config = await ctx.config(command);
      const store = openStore({ dataDir: ctx.dataDir(command) });
      try {
        const exported = exportSession(
          store,
          new EvidenceVault(store, config.privacy.evidence),
          opts.session,
        );
        if (exported === undefined) {
          process.stderr.write(`nothing is stored about session ${opts.session} [not_found]\n`);
          process.exitCode = 1;
          return;
        }
        store.audit.append({
          kind: 'session.exported',
          actor: 'cli',
          sessionId: opts.session,
          data: {},
        });
        ctx.printJson(exported);
      } finally {
        store.close();
      }
    });
}
