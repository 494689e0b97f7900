import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../privacy/maskIdNumber.js';
import { scrubLogText, scrubLogValue } from '../privacy/scrubLogValue.js';

/**
 * Keys whose values never reach a log line: secrets, document data and biometrics. pino
 * replaces them with "[redacted]" wherever they appear (two levels deep).
 */
export const REDACTED_LOG_KEYS = [
  'token',
  'mrz',
  'can',
  'documentNumber',
  'birthDate',
  'expiryDate',
  'personalNumber',
  'idNumber',
  'fullName',
  'surname',
  'givenNames',
  'address',
  'photo',
  'image',
  'embedding',
  'msisdn',
] as const;

export interface LoggerOptions {
  level?: string;
  /** Pretty-print (pino-pretty). Default: when stderr is a TTY. */
  pretty?: boolean;
  /** Where to write; default stderr. Tests pass a stream. */
  destination?: NodeJS.WritableStream;
}

/**
 * The daemon's logger: JSON lines on stderr, pretty on a TTY, with PII redaction in two layers:
 * the keys of {@link REDACTED_LOG_KEYS} and `LOG_REDACT_PATHS` are replaced by "[redacted]"
 * wherever they appear, and every string — the message, error messages and stacks, any value —
 * is scrubbed of MRZ lines, ID numbers (masked), base64 images and long number lists
 * (embeddings), with binary data and long number arrays dropped (`scrubLogValue`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const paths = [
    ...new Set([
      ...REDACTED_LOG_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
      ...LOG_REDACT_PATHS,
    ]),
  ];
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { pid: process.pid },
    redact: { paths, censor: '[redacted]' },
    formatters: { log: (object) => scrubLogValue(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a: unknown) => (typeof a === 'string' ? scrubLogText(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  const pretty =
    options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  return pino(
    base,
    (options.destination ?? pino.destination({ dest: 2, sync: false })) as pino.DestinationStream,
  );
}
