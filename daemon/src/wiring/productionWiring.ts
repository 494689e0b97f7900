import type { KycdConfig } from '../config/KycdConfig.js';
import type { Wiring } from './Wiring.js';

/** Production wiring: real readers, camera and carrier from the configuration. */
export async function productionWiring(config: KycdConfig): Promise<Wiring> {
  void config;
  throw new Error('production wiring is being assembled; use --sim');
}
