import type { Command } from 'commander';
import type { CliContext } from './CliContext.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerModelsCommand } from './commands/models.js';
import { registerFaceCommand } from './commands/face.js';
import { registerStartCommand } from './commands/start.js';
import { registerTokensCommand } from './commands/tokens.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerPurgeCommand } from './commands/purge.js';
import { registerExportCommand } from './commands/export.js';
import { registerEraseCommand } from './commands/erase.js';
import { registerVersionCommand } from './commands/version.js';
import { registerSamCommand } from './commands/sam.js';
import { registerDocumentCommand } from './commands/document.js';

/**
 * Every `kycd` command, one module each under `commands/`. Add a line here when you add one.
 */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerStartCommand(program, ctx);
  registerDoctorCommand(program, ctx);
  registerVersionCommand(program, ctx);
  registerTokensCommand(program, ctx);
  registerKeysCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerPurgeCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerEraseCommand(program, ctx);
  registerModelsCommand(program, ctx);
  registerFaceCommand(program, ctx);
  registerSamCommand(program, ctx);
  registerDocumentCommand(program, ctx);
}
