/**
 * Failure codes of the models package. Each is also registered in the plugin SDK's face error
 * registry (`plugin-sdk/src/errors/faceErrorCodes.ts`) so that it travels unchanged to the wire.
 */
export type ModelErrorCode =
  | 'model_fetch_failed'
  | 'model_integrity_mismatch'
  | 'model_file_missing'
  | 'model_checksum_mismatch'
  | 'model_manifest_invalid'
  | 'model_load_failed'
  | 'model_inference_failed'
  | 'image_empty'
  | 'image_truncated'
  | 'image_unsupported'
  | 'image_too_large'
  | 'image_invalid_frame'
  | 'face_not_found'
  | 'image_corrupt'
  | 'image_unreadable';

/**
 * A typed failure of the models layer: a model that cannot be fetched, verified, loaded or run,
 * or an image that cannot be decoded. `modelId` / `file` say which model or file.
 */
export class ModelError extends Error {
  override readonly name: string = 'ModelError';
  /** Stable code, also listed in the plugin SDK's face error registry. */
  readonly code: ModelErrorCode;
  /** Structured details, safe to log (file names, checksums, sizes — never pixels). */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: { data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }
}
