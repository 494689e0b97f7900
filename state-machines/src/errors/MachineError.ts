/**
 * The error class of `@kycd/state-machines`. This package may not import `@kycd/plugin-sdk`, so
 * it carries its own class; every `code` it uses is also registered in the SDK's error registry
 * (`plugin-sdk/src/errors/*ErrorCodes.ts`), so it travels unchanged to the wire.
 */
export class MachineError extends Error {
  override readonly name: string = 'MachineError';
  /** A registered kycd error code, e.g. `session_actor_not_provided`. */
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
