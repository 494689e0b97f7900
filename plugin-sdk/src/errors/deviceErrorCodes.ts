/**
 * Device failure codes. Stable: never rename one; add new ones at the end, each with a comment
 * that says when it happens. Carried by events and CLI output, see docs/errors.md.
 */
export const DEVICE_ERROR_CODES = [] as const;
