/** A failure reason as the machines carry it and `session.state` sends it: a registered code and a message. */
export interface FailureReason {
  /** A registered kycd error code. */
  readonly code: string;
  /** A human-readable explanation (no secrets, no biometrics). */
  readonly message: string;
}

const MAX_CODE_LENGTH = 64;
const MAX_MESSAGE_LENGTH = 500;
const CODE_PATTERN = /^[a-z][a-z0-9_]*$/;

/**
 * Reads the `code` of an error an actor rejected with, or `undefined` when it has none. Actors
 * are outside code: the value is treated as hostile (any type, any size).
 */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.length <= MAX_CODE_LENGTH && CODE_PATTERN.test(code)
    ? code
    : undefined;
}

/**
 * Turns whatever an actor rejected with into a {@link FailureReason}, falling back to
 * `fallbackCode` when the error carries no usable code.
 */
export function failureReasonOf(error: unknown, fallbackCode: string): FailureReason {
  const code = errorCodeOf(error) ?? fallbackCode;
  let message = '';
  if (typeof error === 'object' && error !== null) {
    const raw: unknown = (error as { message?: unknown }).message;
    if (typeof raw === 'string') message = raw;
  } else if (typeof error === 'string') {
    message = error;
  }
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
  return { code, message: message === '' ? code : message };
}
