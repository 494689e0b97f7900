import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { meetsTarget, round, type BenchArea, type BenchMetric } from './bench/harness.js';

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
// With --json, stdout carries the JSON lines and nothing else: whatever else writes to stdout
// (a library's console.log, a logger) goes to stderr.
const writeJsonLine = (
  (write) => (line: string) =>
    write(line)
)(process.stdout.write.bind(process.stdout));
if (json) {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  console.log = console.error;
  console.info = console.error;
}
const mod = (await import(pathToFileURL(file).href)) as { default: BenchArea };
const rows: BenchMetric[] = [];
await mod.default({
  args: rest.slice(1),
  log: (m) => process.stderr.write(`${m}\n`),
  report(metric) {
    const row = {
      ...metric,
      value: round(metric.value),
      ...(metric.baseline === undefined ? {} : { baseline: round(metric.baseline) }),
    };
    rows.push(row);
    const pass = meetsTarget(metric);
    if (metric.target !== undefined)
      process.stderr.write(
        `${pass === true ? 'PASS' : 'FAIL'}  ${metric.metric}: ${row.value} ${metric.unit} (target: ${metric.target.description})\n`,
      );
    if (json) {
      const { note: _note, target, ...wire } = row;
      const verdict =
        target === undefined ? {} : { target: target.description, pass: pass === true };
      writeJsonLine(`${JSON.stringify({ ...wire, ...verdict })}\n`);
    }
  },
});
if (!json) {
  const table = rows.map((r) => ({
    metric: r.metric,
    value: `${r.value} ${r.unit}`,
    baseline: r.baseline === undefined ? '' : `${r.baseline} ${r.unit}`,
    ratio: r.baseline === undefined || r.baseline === 0 ? '' : `${round(r.value / r.baseline, 2)}×`,
    verdict: r.target === undefined ? '' : meetsTarget(r) === true ? 'PASS' : 'FAIL',
    target: r.target?.description ?? '',
    note: r.note ?? '',
  }));
  console.table(table);
}
// An area sets process.exitCode to fail the command (e.g. a corpus that misses its targets).
process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
