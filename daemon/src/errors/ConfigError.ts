/**
 * A configuration file that cannot be used. Thrown before anything starts; the CLI prints the
 * message (which names the file, the key and the problem) and exits with status 78 (EX_CONFIG).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'config_invalid' as const;
  constructor(
    message: string,
    /** Where the problem is, e.g. `/server/port`; empty for the whole file. */
    readonly key: string,
    readonly file: string | undefined,
  ) {
    super(message);
  }
}
