import { COMPILED, COMPILED_TOLERANT, schemaIssues, type SchemaIssue } from './compiledSchemas.js';
import { isEventName } from './EVENTS.js';
import { isMethodName, type MethodName } from './METHODS.js';

/** Outcome of a schema validation: valid, or the first few issues. */
export type ValidationResult =
  { readonly ok: true } | { readonly ok: false; readonly issues: readonly SchemaIssue[] };

const OK: ValidationResult = { ok: true };

/** Options of the validators. */
export interface ValidateOptions {
  /**
   * Accept properties the schema does not know (what the SDK does with the daemon's results and
   * events, so a newer daemon that adds a field does not break an older client). Default false:
   * the exact contract, for the daemon and its tests.
   */
  readonly tolerant?: boolean;
}

/**
 * Check a method's `result` against its schema. The daemon's tests use it to prove every answer
 * keeps the contract; the SDK uses it (tolerant) to distrust a daemon.
 */
export function validateResult(
  method: MethodName,
  result: unknown,
  options: ValidateOptions = {},
): ValidationResult {
  if (!isMethodName(method))
    return {
      ok: false,
      issues: [{ path: '', message: `unknown method ${JSON.stringify(method)}` }],
    };
  const check = (options.tolerant === true ? COMPILED_TOLERANT : COMPILED).result[method];
  return check.Check(result) ? OK : { ok: false, issues: schemaIssues(check, result) };
}

/** Check a method's `params` against its schema (without the envelope checks of parseClientFrame). */
export function validateParams(method: MethodName, params: unknown): ValidationResult {
  if (!isMethodName(method))
    return {
      ok: false,
      issues: [{ path: '', message: `unknown method ${JSON.stringify(method)}` }],
    };
  const check = COMPILED.params[method];
  return check.Check(params) ? OK : { ok: false, issues: schemaIssues(check, params) };
}

/** Check a whole event frame `{event, data, sessionId?, seq}`: the envelope, then the event's data schema. */
export function validateEvent(frame: unknown, options: ValidateOptions = {}): ValidationResult {
  const compiled = options.tolerant === true ? COMPILED_TOLERANT : COMPILED;
  if (!compiled.eventFrame.Check(frame))
    return { ok: false, issues: schemaIssues(compiled.eventFrame, frame) };
  const { event, data } = frame as { event: string; data: unknown };
  if (!isEventName(event))
    return {
      ok: false,
      issues: [{ path: '/event', message: `unknown event ${JSON.stringify(event)}` }],
    };
  const check = compiled.event[event];
  return check.Check(data)
    ? OK
    : {
        ok: false,
        issues: schemaIssues(check, data).map((i) => ({
          path: `/data${i.path}`,
          message: i.message,
        })),
      };
}

/** Check a response frame `{id, result}` or `{id, error}` (envelope only; see {@link validateResult} for the result). */
export function validateResponse(frame: unknown): ValidationResult {
  return COMPILED.responseFrame.Check(frame)
    ? OK
    : { ok: false, issues: schemaIssues(COMPILED.responseFrame, frame) };
}
