import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '@kycd/plugin-sdk';

/** One documented error code. */
export interface ErrorDoc {
  readonly code: string;
  /** The registry file's name for the subsystem, e.g. `request`, `document`. */
  readonly subsystem: string;
  /** A heading comment above a group of codes, if any (e.g. "eMRTD (ICAO 9303) over PC/SC"). */
  readonly group?: string;
  /** The code's one-line comment from its registry file ('' when it has none). */
  readonly description: string;
}

const ENTRY = /^\s*'([a-z0-9_]+)',?\s*(?:\/\/\s*(.*))?$/;
const COMMENT = /^\s*\/\/\s?(.*)$/;

/**
 * Read every `*ErrorCodes.ts` registry file and pair each code with its comment: a trailing
 * `// comment` on the entry's line, or the `//` lines right above it. A comment line above an
 * entry that has its own trailing comment is a group heading.
 */
export function readErrorDocs(errorsDir: string): ErrorDoc[] {
  const found = new Map<string, ErrorDoc>();
  const files = readdirSync(errorsDir)
    .filter((f) => f.endsWith('ErrorCodes.ts'))
    .sort();
  for (const file of files) {
    const subsystem = file.replace(/ErrorCodes\.ts$/, '');
    const lines = readFileSync(join(errorsDir, file), 'utf8').split('\n');
    let inArray = false;
    let pending: string[] = [];
    let group: string | undefined;
    for (const line of lines) {
      if (!inArray) {
        if (/_ERROR_CODES\s*=\s*\[/.test(line)) inArray = true;
        continue;
      }
      if (/^\s*\]/.test(line)) break;
      const entry = ENTRY.exec(line);
      if (entry !== null) {
        const code = entry[1]!;
        const trailing = entry[2]?.trim();
        let description: string;
        if (trailing !== undefined && trailing !== '') {
          if (pending.length > 0) group = pending.join(' ');
          description = trailing;
        } else {
          description = pending.join(' ');
        }
        pending = [];
        found.set(code, {
          code,
          subsystem,
          ...(group === undefined ? {} : { group }),
          description,
        });
        continue;
      }
      const comment = COMMENT.exec(line);
      if (comment !== null) pending.push(comment[1]!.trim());
      else if (line.trim() === '') pending = [];
    }
  }
  // The registry decides which codes exist and their order; comments only describe them.
  return ERROR_CODES.map(
    (code) => found.get(code) ?? { code, subsystem: 'unknown', description: '' },
  );
}
