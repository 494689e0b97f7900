import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { round, type BenchArea, type BenchMetric } from './bench/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const areas = readdirSync(join(here, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'harness.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const rest = argv.filter((a) => a !== '--json');
const area = rest[0];
if (area === undefined || !areas.includes(area)) {
  process.stderr.write(`usage: pnpm bench <area> [--json]\nareas: ${areas.join(', ')}\n`);
  process.exit(2);
}
const file = join(here, 'bench', `${area}.ts`);
if (!existsSync(file)) process.exit(2);
const mod = (await import(pathToFileURL(file).href)) as { default: BenchArea };
const rows: BenchMetric[] = [];
await mod.default({
  args: rest.slice(1),
  log: (m) => process.stderr.write(`${m}\n`),
  report(metric) {
    const row = { ...metric, value: round(metric.value), ...(metric.baseline === undefined ? {} : { baseline: round(metric.baseline) }) };
    rows.push(row);
    if (json) {
      const { note: _note, ...wire } = row;
      process.stdout.write(`${JSON.stringify(wire)}\n`);
    }
  },
});
if (!json) {
  const table = rows.map((r) => ({
    metric: r.metric,
    value: `${r.value} ${r.unit}`,
    baseline: r.baseline === undefined ? '' : `${r.baseline} ${r.unit}`,
    ratio: r.baseline === undefined || r.baseline === 0 ? '' : `${round(r.value / r.baseline, 2)}×`,
    note: r.note ?? '',
  }));
  console.table(table);
}
process.exit(0);
