import { COMPILED, schemaIssues, type SchemaIssue } from './compiledSchemas.js';
import {
  METHODS,
  isMethodName,
  type MethodName,
  type MethodParams,
  type MethodSpec,
} from './METHODS.js';
import { FRAME_LIMITS } from './protocolConstants.js';
import type { RequestId } from './schemas/RequestFrame.js';

/** A request that passed envelope and params validation. Discriminated by `method`. */
export type ClientRequest = {
  [M in MethodName]: {
    readonly id: RequestId;
    readonly method: M;
    readonly params: MethodParams<M>;
  };
}[MethodName];

/** The codes {@link parseClientFrame} can answer with. */
export type FrameErrorCode =
  'invalid_json' | 'invalid_request' | 'unknown_method' | 'forbidden' | 'invalid_params';

/** Why a client frame was refused: ready to send as the `error` of a response. */
export interface FrameError {
  readonly code: FrameErrorCode;
  readonly message: string;
  readonly data?: { readonly issues?: readonly SchemaIssue[]; readonly method?: string };
}

/** What {@link parseClientFrame} returns. `id` is present on failures whenever the frame's id was readable. */
export type ParseClientFrameResult =
  | { readonly ok: true; readonly request: ClientRequest }
  | { readonly ok: false; readonly id?: RequestId; readonly error: FrameError };

/** Options of {@link parseClientFrame}. */
export interface ParseClientFrameOptions {
  /** Accept the `sim.*` methods (the daemon runs with `--sim`). Default false: they answer `forbidden`. */
  readonly sim?: boolean;
}

/** Keys that must never reach code that copies objects around (prototype pollution). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parse and validate one text frame from a client: JSON, then the envelope
 * `{id, method, params?}`, then the method's params against its precompiled schema. Every byte
 * is treated as hostile: nesting deeper than {@link FRAME_LIMITS}.maxDepth, more than maxNodes
 * values, `__proto__` / `constructor` / `prototype` keys, non-finite numbers and over-long
 * strings are refused with a typed error. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseClientFrame(text, { sim: config.sim });
 * if (!parsed.ok) return send({ id: parsed.id ?? null, error: parsed.error });
 * switch (parsed.request.method) { case 'session.get': ... }
 * ```
 */
export function parseClientFrame(
  text: string,
  options: ParseClientFrameOptions = {},
): ParseClientFrameResult {
  try {
    return parseUnsafe(text, options);
  } catch (cause) {
    // Defence in depth: nothing above should throw, but a parser must never take the daemon down.
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `frame could not be processed: ${describe(cause)}`,
      },
    };
  }
}

function parseUnsafe(text: string, options: ParseClientFrameOptions): ParseClientFrameResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'frame must be a text frame holding one JSON object',
      },
    };
  }
  if (text.length > FRAME_LIMITS.maxTextLength) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `frame longer than ${FRAME_LIMITS.maxTextLength} characters`,
      },
    };
  }
  const depth = maxNesting(text);
  if (depth > FRAME_LIMITS.maxDepth) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `frame nests deeper than ${FRAME_LIMITS.maxDepth} levels`,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return {
      ok: false,
      error: { code: 'invalid_json', message: `frame is not valid JSON: ${describe(cause)}` },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'frame must be a JSON object {id, method, params}',
      },
    };
  }
  const frame = value as Record<string, unknown>;
  const id = readId(frame['id']);

  const structural = checkStructure(frame);
  if (structural !== undefined) return failure(id, 'invalid_request', structural);

  if (!COMPILED.requestFrame.Check(frame)) {
    const issues = schemaIssues(COMPILED.requestFrame, frame);
    const first = issues[0];
    const where = first === undefined ? '' : ` at ${first.path || '/'}: ${first.message}`;
    return failure(id, 'invalid_request', `invalid request envelope${where}`, { issues });
  }
  if (id === undefined)
    return failure(
      undefined,
      'invalid_request',
      'request id must be a string of at most 128 characters or a finite number',
    );

  const method = frame['method'] as string;
  if (!isMethodName(method))
    return failure(id, 'unknown_method', `unknown method ${JSON.stringify(method)}`, { method });
  if ((METHODS[method] as MethodSpec).simOnly === true && options.sim !== true) {
    // The method exists but is not allowed on this daemon: `forbidden`, before its params are read.
    return failure(
      id,
      'forbidden',
      `${method} is simulator control; it is allowed only when the daemon runs with --sim`,
      { method },
    );
  }

  const params = frame['params'] === undefined ? {} : frame['params'];
  const check = COMPILED.params[method];
  if (!check.Check(params)) {
    const issues = schemaIssues(check, params);
    const first = issues[0];
    const where = first === undefined ? '' : `: ${first.path || '/'} ${first.message}`;
    return failure(id, 'invalid_params', `invalid params for ${method}${where}`, {
      issues,
      method,
    });
  }
  return { ok: true, request: { id, method, params } as ClientRequest };
}

function failure(
  id: RequestId | undefined,
  code: FrameErrorCode,
  message: string,
  data?: FrameError['data'],
): ParseClientFrameResult {
  const error: FrameError = data === undefined ? { code, message } : { code, message, data };
  return id === undefined ? { ok: false, error } : { ok: false, id, error };
}

/** The id if it is a valid request id, so even a refused request can be answered by id. */
function readId(value: unknown): RequestId | undefined {
  if (typeof value === 'string')
    return value.length <= FRAME_LIMITS.maxIdLength ? value : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return undefined;
}

/**
 * Deepest `{`/`[` nesting of a JSON text, ignoring brackets inside strings. Runs before
 * JSON.parse so a pathological frame costs one linear scan and nothing more.
 */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) max = depth;
      if (max > FRAME_LIMITS.maxDepth) return max;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return max;
}

/** Walks the parsed frame iteratively: forbidden keys, value count, non-finite numbers. */
function checkStructure(root: object): string | undefined {
  const stack: unknown[] = [root];
  let nodes = 0;
  while (stack.length > 0) {
    const value = stack.pop();
    nodes++;
    if (nodes > FRAME_LIMITS.maxNodes)
      return `frame holds more than ${FRAME_LIMITS.maxNodes} values`;
    if (typeof value === 'number' && !Number.isFinite(value))
      return 'frame holds a number out of the finite double range';
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `frame holds the forbidden key ${JSON.stringify(key)}`;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
