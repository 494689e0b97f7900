// Errors
export { KycdError } from './errors/KycdError.js';
export { ERROR_CODES, isErrorCode } from './errors/errorCodes.js';
export type { ErrorCode } from './errors/errorCodes.js';
export { REQUEST_ERROR_CODES } from './errors/requestErrorCodes.js';
export type { RequestErrorCode } from './errors/requestErrorCodes.js';

// Wire protocol v1: constants and schemas (the single source of truth)
export {
  PROTOCOL,
  DEFAULT_PORT,
  WS_PATH,
  DEFAULT_URL,
  FRAME_LIMITS,
} from './protocol/protocolConstants.js';
export { METHODS, METHOD_NAMES, isMethodName } from './protocol/METHODS.js';
export type { MethodSpec, MethodName, MethodParams, MethodResult } from './protocol/METHODS.js';
export { EVENTS, EVENT_NAMES, isEventName } from './protocol/EVENTS.js';
export type { EventSpec, EventName, EventData } from './protocol/EVENTS.js';
export { RequestFrame, RequestId } from './protocol/schemas/RequestFrame.js';
export {
  ResponseFrame,
  SuccessResponseFrame,
  ErrorResponseFrame,
  ErrorObject,
} from './protocol/schemas/ResponseFrame.js';
export { EventFrame } from './protocol/schemas/EventFrame.js';
export { DeviceInfo, DeviceState } from './protocol/schemas/DeviceInfo.js';
export {
  SessionSnapshot,
  SessionStep,
  SessionStateName,
  DocumentSummary,
  SESSION_FINAL_STATES,
  isSessionFinalState,
} from './protocol/schemas/SessionSnapshot.js';
export type { SessionFinalState } from './protocol/schemas/SessionSnapshot.js';
export { parseClientFrame } from './protocol/parseClientFrame.js';
export type {
  ClientRequest,
  FrameError,
  FrameErrorCode,
  ParseClientFrameResult,
  ParseClientFrameOptions,
} from './protocol/parseClientFrame.js';
export {
  validateResult,
  validateParams,
  validateEvent,
  validateResponse,
} from './protocol/validateMessage.js';
export type { ValidationResult, ValidateOptions } from './protocol/validateMessage.js';
export type { SchemaIssue } from './protocol/compiledSchemas.js';

// Client (Node and browsers)
export { KycdClient, KYCD_CLIENT_DEFAULTS } from './client/KycdClient.js';
export type {
  KycdClientOptions,
  KycdClientEvents,
  ClientState,
  CloseInfo,
  HelloResult,
} from './client/KycdClient.js';
export { Session } from './client/Session.js';
export type {
  SessionEvents,
  SessionEventName,
  EventMeta,
  MrzCredentials,
  SessionHost,
} from './client/Session.js';
export { TypedEmitter } from './client/TypedEmitter.js';
export type { ListenerMap } from './client/TypedEmitter.js';
export type { ReconnectOptions } from './client/reconnectDelay.js';
export { reconnectDelay } from './client/reconnectDelay.js';
export type { WebSocketLike, WebSocketConstructor } from './client/WebSocketLike.js';
export { parseServerFrame } from './client/parseServerFrame.js';
export type { ServerFrame } from './client/parseServerFrame.js';
export { CLIENT_ERROR_CODES } from './errors/clientErrorCodes.js';
export type { ClientErrorCode } from './errors/clientErrorCodes.js';
export type { TSchema, Static } from '@sinclair/typebox';
