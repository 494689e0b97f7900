/**
 * Face failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const FACE_ERROR_CODES = [
  /** The model tarball or its registry metadata could not be fetched from the npm registry. */
  'model_fetch_failed',
  /** The fetched tarball's sha512 integrity differs from the pinned one. */
  'model_integrity_mismatch',
  /** A model file named by the manifest is absent (run `kycd models install`). */
  'model_file_missing',
  /** A model file's sha256 differs from the manifest (altered or corrupt file). */
  'model_checksum_mismatch',
  /** The model manifest is malformed (missing task, bad input shape, duplicate id). */
  'model_manifest_invalid',
  /** onnxruntime could not create a session for a verified model file. */
  'model_load_failed',
  /** An inference call failed or returned outputs of unexpected shape. */
  'model_inference_failed',
  /** An image input has zero bytes. */
  'image_empty',
  /** An image input ends before its declared data (cut-off JPEG/PNG). */
  'image_truncated',
  /** An input is not a decodable JPEG/PNG/WebP image. */
  'image_unsupported',
  /** An image exceeds the configured pixel or byte limit. */
  'image_too_large',
  /** An RGB frame's data length does not match width × height × 3, or its size is zero. */
  'image_invalid_frame',
  /** No face was found in an image where one was required. */
  'face_not_found',
  /** An image has a known format's header but damaged content (bad markers, CRC or entropy data). */
  'image_corrupt',
  /** An image file cannot be read (missing, a directory, no permission). */
  'image_unreadable',
] as const;
