/**
 * `pnpm eval <area> [--json] [...]`: accuracy evaluations over the labelled data in
 * ../shared/data (never copied into the repository). An area is a module `scripts/eval/<area>.ts`
 * whose default export returns an exit code (non-zero when a quality floor regresses).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const areas = readdirSync(join(here, 'eval'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && /^[a-z]+\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''));
const [area, ...args] = process.argv.slice(2);
if (area === undefined || !areas.includes(area)) {
  process.stderr.write(`usage: pnpm eval <area> [--json]\nareas: ${areas.join(', ')}\n`);
  process.exit(2);
}
const file = join(here, 'eval', `${area}.ts`);
if (!existsSync(file)) process.exit(2);
const mod = (await import(pathToFileURL(file).href)) as {
  default: (args: readonly string[]) => Promise<number>;
};
process.exit(await mod.default(args));
