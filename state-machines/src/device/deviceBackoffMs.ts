import type { DeviceLifecycleConfig } from './deviceTypes.js';

/**
 * The wait before recovery attempt `attempt` (1-based): `backoffBaseMs · 2^(attempt−1)`,
 * capped at `backoffMaxMs`.
 */
export function deviceBackoffMs(
  attempt: number,
  config: Pick<DeviceLifecycleConfig, 'backoffBaseMs' | 'backoffMaxMs'>,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(config.backoffBaseMs * 2 ** exponent, config.backoffMaxMs);
}
