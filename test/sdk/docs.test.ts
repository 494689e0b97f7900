import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EVENT_NAMES, METHOD_NAMES, REQUEST_ERROR_CODES } from '@kycd/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { generateDocs, REPO_ROOT } from '../../scripts/docs/generateDocs.js';
import { toYaml } from '../../scripts/docs/toYaml.js';

const docs = generateDocs();

describe('generated protocol docs (pnpm run docs)', () => {
  it.each(Object.keys(docs))('%s is committed and up to date', (path) => {
    const file = join(REPO_ROOT, path);
    expect(existsSync(file), `${path} is missing: run \`corepack pnpm run docs\``).toBe(true);
    expect(
      readFileSync(file, 'utf8') === docs[path],
      `${path} is stale: run \`corepack pnpm run docs\` and commit it`,
    ).toBe(true);
  });

  it('protocol.md documents every method, event and request error code', () => {
    const md = docs['docs/protocol.md']!;
    for (const m of METHOD_NAMES) expect(md).toContain(`### \`${m}\``);
    for (const e of EVENT_NAMES) expect(md).toContain(`### \`${e}\``);
    for (const c of REQUEST_ERROR_CODES) expect(md).toContain(`| \`${c}\` |`);
  });

  it('errors.md lists every registered code exactly once', () => {
    const md = docs['docs/errors.md']!;
    for (const c of ERROR_CODES) expect(md.split(`| \`${c}\` |`).length - 1, c).toBe(1);
  });

  it('asyncapi.yaml is AsyncAPI 3.0 with an operation per method and event', () => {
    const yaml = docs['docs/asyncapi.yaml']!;
    expect(yaml).toContain('\nasyncapi: "3.0.0"\n');
    for (const m of METHOD_NAMES) expect(yaml).toContain(`\n  ${m}:\n    action: "receive"`);
    for (const e of EVENT_NAMES) expect(yaml).toContain(`\n  emit.${e}:\n    action: "send"`);
  });
});

describe('toYaml', () => {
  it('writes block YAML whose scalars are JSON strings', () => {
    expect(toYaml({ a: 1, 'b c': ['x', { y: true, z: null }], e: {}, f: [] })).toBe(
      'a: 1\n"b c":\n  - "x"\n  - y: true\n    z: null\ne: {}\nf: []\n',
    );
  });
});
