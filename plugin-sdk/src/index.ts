export { KycdError } from './errors/KycdError.js';
export { ERROR_CODES, isErrorCode } from './errors/errorCodes.js';
export type { ErrorCode } from './errors/errorCodes.js';
export { REQUEST_ERROR_CODES } from './errors/requestErrorCodes.js';
export type { RequestErrorCode } from './errors/requestErrorCodes.js';
