/**
 * Events that never go to the store, whatever `privacy.evidence.retain` says: they carry images
 * (the POS preview is a JPEG of the customer's face). Evidence that an operator chose to keep goes
 * through the encrypted {@link EvidenceVault}, never through the session timeline.
 */
export const NEVER_STORED_EVENTS: ReadonlySet<string> = new Set(['face.preview']);

/** A string this long or longer that decodes as base64 to an image is an image payload. */
const MIN_IMAGE_BASE64 = 64;
/** Base64 prefixes of JPEG (`FF D8 FF`), PNG, JPEG 2000 (box and codestream), BMP and WebP/RIFF. */
export const IMAGE_BASE64_PREFIXES: readonly string[] = [
  '/9j/',
  'iVBORw0KGgo',
  'AAAADGpQ',
  '/0//',
  'Qk',
  'UklGR',
];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Arrays of more numbers than this are treated as embeddings or pixel data. */
const MAX_NUMBER_ARRAY = 32;

/** What an image payload or a number vector is replaced with. */
export const REMOVED_FROM_TIMELINE = '[not stored]';

/**
 * The form of one session wire event (`{event, data, sessionId, seq}`) that may be written to
 * the store's timeline: `undefined` for an event that is never stored (`face.preview`), else a
 * copy in which every image-like value — a base64 or `data:image/…` string of an image, a byte
 * array, a long array of numbers (an embedding, pixels) — is replaced by
 * {@link REMOVED_FROM_TIMELINE}. Events are otherwise kept as the POS saw them.
 */
export function storableSessionEvent(frame: unknown): unknown {
  if (typeof frame === 'object' && frame !== null && !Array.isArray(frame)) {
    const name = (frame as { event?: unknown }).event;
    if (typeof name === 'string' && NEVER_STORED_EVENTS.has(name)) return undefined;
  }
  return scrub(frame, 0);
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > 32) return REMOVED_FROM_TIMELINE;
  if (typeof value === 'string') return looksLikeImage(value) ? REMOVED_FROM_TIMELINE : value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return REMOVED_FROM_TIMELINE;
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMBER_ARRAY && value.every((v) => typeof v === 'number'))
      return REMOVED_FROM_TIMELINE;
    return value.map((v) => scrub(v, depth + 1));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
    return out;
  }
  return value;
}

function looksLikeImage(s: string): boolean {
  if (/^data:image\//i.test(s)) return true;
  if (s.length < MIN_IMAGE_BASE64) return false;
  const head = s.slice(0, 16);
  return IMAGE_BASE64_PREFIXES.some((p) => head.startsWith(p)) && BASE64.test(s.slice(0, 4096));
}
