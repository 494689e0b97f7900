import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The daemon's version, from its package.json. */
export const DAEMON_VERSION: string = (require('../package.json') as { version: string }).version;
