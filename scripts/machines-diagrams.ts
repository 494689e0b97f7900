// Renders each state machine of @kycd/state-machines to docs/machines/<name>.md (Mermaid diagram
// and transition table), from the machine definitions. A test fails when these files are stale.
//
//   node --conditions=@kycd/source --import tsx scripts/machines-diagrams.ts [--check]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { MACHINE_DOCS, renderMachineDoc } from '@kycd/state-machines';

const check = process.argv.includes('--check');
const dir = new URL('../docs/machines/', import.meta.url);
mkdirSync(dir, { recursive: true });
let stale = 0;
for (const spec of MACHINE_DOCS) {
  const file = new URL(`${spec.name}.md`, dir);
  const text = renderMachineDoc(spec);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  stale++;
  if (check) {
    console.error(`docs/machines/${spec.name}.md is stale`);
  } else {
    writeFileSync(file, text);
    console.error(`wrote docs/machines/${spec.name}.md`);
  }
}
if (check && stale > 0) process.exitCode = 1;
