import type { Config } from '../config.js';
import { isLoopback } from '../listen-address.js';

/**
 * Whether the control API is on: as configured, else only when Standin listens on loopback, where nobody
 * else on the network can reach it (docs/test-control.md).
 */
export function controlEnabled(config: Pick<Config, 'control' | 'host'>): boolean {
  return config.control ?? isLoopback(config.host);
}
