/**
 * Serialise a JSON value as block-style YAML 1.2. Strings are emitted as JSON strings, which
 * YAML reads as double-quoted scalars, so no value is ever reinterpreted (no `yes`/`no`/octal
 * surprises). Keys are quoted unless they are plain identifiers.
 */
export function toYaml(value: unknown, indent = 0): string {
  return `${emit(value, indent).replace(/^\n/, '')}\n`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$.-]*$/;

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function emit(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  const s = scalar(value);
  if (s !== undefined) return ` ${s}`;
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const inner = scalar(item);
        if (inner !== undefined) return `\n${pad}- ${inner}`;
        const body = emit(item, indent + 2).replace(/^\n\s*/, '');
        return `\n${pad}- ${body}`;
      })
      .join('');
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const key = PLAIN_KEY.test(k) ? k : JSON.stringify(k);
      const inner = scalar(v);
      return inner !== undefined
        ? `\n${pad}${key}: ${inner}`
        : `\n${pad}${key}:${emit(v, indent + 2)}`;
    })
    .join('');
}
