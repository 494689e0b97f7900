import type { TSchema } from '@sinclair/typebox';
import { KycdConfigSchema } from './KycdConfig.js';

/**
 * Render the configuration reference (docs/configuration.md) from the schema, so that the
 * documentation cannot drift from what the daemon validates.
 */
export function renderConfigReference(): string {
  const rows: string[] = [];
  walk(KycdConfigSchema, '', rows);
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from daemon/src/config by `pnpm docs:config`; a test fails when it is stale. -->',
    '',
    'kycd reads one YAML or JSON file (`--config FILE` or `$KYCD_CONFIG`). Every key is optional;',
    'unknown keys are refused at start-up with a message naming the key, so a typo never falls',
    'back to a default silently.',
    '',
    '| key | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function walk(schema: TSchema, prefix: string, rows: string[]): void {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (properties === undefined) return;
  for (const [key, child] of Object.entries(properties)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const childProps = (child as { properties?: Record<string, TSchema> }).properties;
    if (childProps !== undefined && Object.keys(childProps).length > 0) {
      if (typeof child.description === 'string')
        rows.push(`| **\`${path}\`** | section | | ${escape(child.description)} |`);
      walk(child, path, rows);
      continue;
    }
    if (childProps !== undefined) continue;
    rows.push(
      `| \`${path}\` | ${typeOf(child)} | ${child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``} | ${escape(describe(child))} |`,
    );
  }
}

function typeOf(schema: TSchema): string {
  const s = schema as {
    type?: string;
    anyOf?: TSchema[];
    const?: unknown;
    items?: TSchema;
    minimum?: number;
    maximum?: number;
  };
  if (s.anyOf !== undefined)
    return s.anyOf
      .map((a) =>
        (a as { const?: unknown }).const === undefined
          ? typeOf(a)
          : `\`${JSON.stringify((a as { const?: unknown }).const)}\``,
      )
      .join(' \\| ');
  if (s.type === 'array' && s.items !== undefined) return `${typeOf(s.items)}[]`;
  const range =
    s.minimum !== undefined || s.maximum !== undefined
      ? ` (${s.minimum ?? ''}…${s.maximum ?? ''})`
      : '';
  return `${s.type ?? 'any'}${range}`;
}

function describe(schema: TSchema): string {
  return typeof schema.description === 'string' ? schema.description : '';
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
