import { buildApp, type StandinApp } from './app.js';
import type { ConfigInput } from './config.js';
import type { Control } from './control/control.js';
import { publicUrl } from './listen-address.js';

export { buildApp, type StandinApp } from './app.js';
export { ConfigError, PASSWORD_HASHING_PRESETS, type Config, type ConfigInput, type PasswordHashing } from './config.js';
export type { Kickstart, KickstartApiKey, KickstartRequest } from './kickstart/types.js';
export { KickstartError } from './kickstart/types.js';
export type { Control } from './control/control.js';
export type { ControlClock } from './control/clock.js';
export type { Fault, FaultInput, FaultList } from './control/faults.js';
export type { RefreshTokenFamily, SsoSessionInfo, TokenCounts, TokenTarget } from './store/token-admin.js';

/** The test controls on the value startStandin() returns: the same operations as `/_standin/`. */
export type StandinControls = Pick<Control, 'clock' | 'faults' | 'reset' | 'revoke' | 'expire' | 'sessions' | 'refreshTokens'>;

export interface RunningStandin extends StandinControls {
  /** Where it listens, e.g. `http://localhost:41234`. */
  url: string;
  /** The default tenant's issuer: the `iss` of its tokens. */
  issuer: string;
  app: StandinApp;
  close(): Promise<void>;
}

/**
 * Starts a listening Standin for a test suite. Unlike the CLI it defaults to a random free port, an in-memory
 * database and warn-level logs, so each test worker can start its own; pass the CLI's options to change that.
 */
export async function startStandin(options: ConfigInput = {}): Promise<RunningStandin> {
  const app = await buildApp({ port: 0, db: ':memory:', logLevel: 'warn', ...options });
  try {
    await app.listen({ port: app.standin.config.port, host: app.standin.config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as { port: number };
  const defaultTenant = app.standin.stores.tenants.list()[0];
  return {
    url: publicUrl(app.standin.config.host, port),
    issuer: defaultTenant ? app.standin.issuerOf(defaultTenant) : app.standin.baseUrl(),
    app,
    close: () => app.close(),
    ...controlsOf(app.standin.control),
  };
}

function controlsOf(control: Control): StandinControls {
  const { clock, faults, reset, revoke, expire, sessions, refreshTokens } = control;
  return { clock, faults, reset, revoke, expire, sessions, refreshTokens };
}
