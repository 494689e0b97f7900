import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL } from '@kycd/plugin-sdk';
import { readErrorDocs } from './readErrorDocs.js';
import { renderAsyncApi } from './renderAsyncApi.js';
import { renderErrors } from './renderErrors.js';
import { renderProtocol } from './renderProtocol.js';
import { renderSdkReadme } from './renderSdkReadme.js';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every generated protocol document, by path relative to the repository root. Pure: the same
 * schemas and error registry always give the same bytes (no dates), so a test can compare.
 */
export function generateDocs(): Record<string, string> {
  const errors = readErrorDocs(join(REPO_ROOT, 'plugin-sdk', 'src', 'errors'));
  return {
    'docs/protocol.md': renderProtocol(errors),
    'docs/asyncapi.yaml': renderAsyncApi(PROTOCOL),
    'docs/errors.md': renderErrors(errors),
    'plugin-sdk/README.md': renderSdkReadme(REPO_ROOT, errors),
  };
}
