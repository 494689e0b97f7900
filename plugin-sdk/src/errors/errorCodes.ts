import { CLIENT_ERROR_CODES } from './clientErrorCodes.js';
import { DEVICE_ERROR_CODES } from './deviceErrorCodes.js';
import { DOCUMENT_ERROR_CODES } from './documentErrorCodes.js';
import { FACE_ERROR_CODES } from './faceErrorCodes.js';
import { LIVENESS_ERROR_CODES } from './livenessErrorCodes.js';
import { REGISTRATION_ERROR_CODES } from './registrationErrorCodes.js';
import { REQUEST_ERROR_CODES } from './requestErrorCodes.js';
import { SESSION_ERROR_CODES } from './sessionErrorCodes.js';

/**
 * The single registry of kycd error codes. Request codes answer a request; the others are
 * failure reasons carried by `session.state` / `session.failed` events and by CLI output.
 * Each subsystem keeps its own list in a file beside this one; `docs/errors.md` is generated
 * from this registry and a test keeps them in step.
 */
export const ERROR_CODES = [
  ...REQUEST_ERROR_CODES,
  ...SESSION_ERROR_CODES,
  ...DEVICE_ERROR_CODES,
  ...DOCUMENT_ERROR_CODES,
  ...FACE_ERROR_CODES,
  ...LIVENESS_ERROR_CODES,
  ...REGISTRATION_ERROR_CODES,
  ...CLIENT_ERROR_CODES,
] as const;

/** Any registered kycd error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is a registered error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
