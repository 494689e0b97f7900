import type { Command } from 'commander';
import { runDoctor, type DoctorCheck } from '../../doctor/runDoctor.js';
import type { CliContext } from '../CliContext.js';

/** `kycd doctor [--json]`: diagnose the installation; exit 1 when a check fails. */
export function registerDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check the installation: store, port, PC/SC, cameras, ffmpeg, models')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = await ctx.config(command);
      const checks = await runDoctor({ config, dataDir: ctx.dataDir(command) });
      if (options.json === true)
        ctx.printJson({ ok: checks.every((c) => c.status !== 'fail'), checks });
      else process.stdout.write(`${checks.map(format).join('\n')}\n`);
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
    });
}

function format(check: DoctorCheck): string {
  const mark = { ok: '✔', warn: '!', fail: '✘' }[check.status];
  return `${mark} ${check.name.padEnd(15)} ${check.detail}${check.fix === undefined ? '' : `\n  → ${check.fix}`}`;
}
