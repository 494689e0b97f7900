import canonicalizeModule from 'canonicalize';

// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export;
// under NodeNext the default import is the function at run time.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: sorted keys, no whitespace, ECMAScript
 * number formatting — the exact bytes that are hashed and signed.
 * @throws {TypeError} when `value` cannot be represented in JSON (undefined, a function, NaN…).
 */
export function canonicalJson(value: unknown): string {
  assertJsonSafe(value, '$');
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalised as JSON');
  return text;
}

function assertJsonSafe(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonSafe(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && value !== undefined) {
    if (ArrayBuffer.isView(value))
      throw new TypeError(`${path}: binary data must be encoded (base64) before signing`);
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      assertJsonSafe(v, `${path}.${k}`);
    }
    return;
  }
  throw new TypeError(`${path}: ${typeof value} has no JSON form`);
}
