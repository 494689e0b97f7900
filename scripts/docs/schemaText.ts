import type { TSchema } from '@kycd/plugin-sdk';

/** TypeBox's kind marker (`Kind` of @sinclair/typebox, a registered symbol). */
const Kind = Symbol.for('TypeBox.Kind');

/** One row of a field table: a dotted path into an object schema. */
export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

type Raw = Record<string, unknown>;

const kindOf = (schema: TSchema): string | undefined => (schema as { [Kind]?: string })[Kind];

/** Shared, titled schemas (DeviceInfo, SessionSnapshot) are linked, not expanded. */
export function titled(schema: TSchema): string | undefined {
  const title = (schema as Raw)['title'];
  return typeof title === 'string' ? title : undefined;
}

/** A short, human type for a schema: `string (1–64, /^[0-9]{6}$/)`, `"emrtd" | "cn-resident-id"`, `[DeviceInfo](#deviceinfo)[]`. */
export function typeText(schema: TSchema, link = true): string {
  const s = schema as Raw;
  const title = titled(schema);
  if (link && title !== undefined) return `[${title}](#${title.toLowerCase()})`;
  switch (kindOf(schema)) {
    case 'String': {
      const bounds: string[] = [];
      const min = s['minLength'];
      const max = s['maxLength'];
      if (typeof max === 'number')
        bounds.push(typeof min === 'number' && min > 0 ? `${min}–${max} chars` : `≤ ${max} chars`);
      if (typeof s['pattern'] === 'string') bounds.push(`\`/${s['pattern']}/\``);
      return bounds.length === 0 ? 'string' : `string (${bounds.join(', ')})`;
    }
    case 'Integer':
    case 'Number': {
      const name = kindOf(schema) === 'Integer' ? 'integer' : 'number';
      const parts: string[] = [];
      if (typeof s['minimum'] === 'number') parts.push(`≥ ${s['minimum']}`);
      if (typeof s['maximum'] === 'number')
        parts.push(`≤ ${s['maximum'] === Number.MAX_SAFE_INTEGER ? '2^53−1' : s['maximum']}`);
      return parts.length === 0 ? name : `${name} (${parts.join(', ')})`;
    }
    case 'Boolean':
      return 'boolean';
    case 'Literal':
      return `\`${JSON.stringify(s['const'])}\``;
    case 'Null':
      return '`null`';
    case 'Unknown':
      return 'any';
    case 'Array': {
      const items = typeText(s['items'] as TSchema);
      const max = typeof s['maxItems'] === 'number' ? ` (≤ ${s['maxItems']} items)` : '';
      return `${items.includes(' ') ? `(${items})` : items}[]${max}`;
    }
    case 'Record': {
      const values = Object.values(
        (s['patternProperties'] as Record<string, TSchema> | undefined) ?? {},
      );
      return `object (string → ${values[0] === undefined ? 'any' : typeText(values[0])})`;
    }
    case 'Object':
      return 'object';
    case 'Union':
      return (s['anyOf'] as TSchema[]).map((v) => typeText(v)).join(' \\| ');
    default:
      return 'any';
  }
}

/** Flatten an object schema into field rows, recursing into nested (untitled) objects. */
export function fieldRows(schema: TSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  if (kindOf(schema) !== 'Object') return rows;
  const s = schema as Raw;
  const props = s['properties'] as Record<string, TSchema>;
  const req = new Set((s['required'] as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(props)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const isRequired = req.has(key); // within its parent object
    const description = String((child as Raw)['description'] ?? '').replace(/\|/g, '\\|');
    rows.push({ path, type: typeText(child), required: isRequired, description });
    if (kindOf(child) === 'Object' && titled(child) === undefined)
      rows.push(...fieldRows(child, path));
    if (kindOf(child) === 'Array') {
      const items = (child as Raw)['items'] as TSchema;
      if (kindOf(items) === 'Object' && titled(items) === undefined)
        rows.push(...fieldRows(items, `${path}[]`));
    }
  }
  return rows;
}

/** A Markdown table of an object schema's fields (or a note when it has none). */
export function fieldTable(schema: TSchema): string {
  if (kindOf(schema) === 'Union') {
    const variants = (schema as Raw)['anyOf'] as TSchema[];
    return variants
      .map(
        (v, i) =>
          `One of — variant ${i + 1}${titled(v) === undefined ? '' : ` (${titled(v)})`}:\n\n${fieldTable(v)}`,
      )
      .join('\n\n');
  }
  if (kindOf(schema) !== 'Object') return `Type: ${typeText(schema)}`;
  const rows = fieldRows(schema);
  if (rows.length === 0) return '_No fields: `{}`._';
  const lines = ['| field | type | required | description |', '|---|---|---|---|']; // required: within its parent object
  for (const r of rows)
    lines.push(`| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : 'no'} | ${r.description} |`);
  return lines.join('\n');
}

/** The schema as plain JSON Schema (TypeBox's symbol keys dropped), pretty-printed. */
export function jsonSchema(schema: TSchema): string {
  return JSON.stringify(schema, null, 2);
}

/** The schema as a plain JSON value (for the AsyncAPI document). */
export function plainSchema(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}
