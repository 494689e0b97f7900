/**
 * `pnpm docs [--check]`: writes docs/protocol.md, docs/asyncapi.yaml and docs/errors.md from the
 * plugin-sdk schemas and the error registry. With --check, writes nothing and exits 1 when a
 * committed file is stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDocs, REPO_ROOT } from './docs/generateDocs.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of Object.entries(generateDocs())) {
  const file = join(REPO_ROOT, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    stale++;
    process.stderr.write(`stale: ${path} (run pnpm docs)\n`);
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  process.stderr.write(`wrote ${path}\n`);
}
if (check && stale > 0) process.exitCode = 1;
