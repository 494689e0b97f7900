import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../daemon/src/config/renderConfigReference.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
process.stderr.write('wrote docs/configuration.md\n');
