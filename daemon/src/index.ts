/**
 * @kycd/daemon public API: the daemon process, its drivers and protocols, for the CLI, the
 * end-to-end tests and embedders. One line per export; keep them grouped by area.
 */
export type {
  AccessControlProtocol,
  AuthenticityCheck,
  CheckStatus,
  DocumentAuthenticity,
  DocumentFields,
  DocumentKind,
  DocumentPhoto,
  DocumentReadResult,
} from './documents/DocumentReadResult.js';
export { parseConfig, loadConfig } from './config/loadConfig.js';
export type { KycdConfig } from './config/KycdConfig.js';
export { ConfigError } from './errors/ConfigError.js';
