import { isIP } from 'node:net';
import type { Kickstart } from './kickstart/types.js';
import { isLoopback } from './listen-address.js';
import { MAX_ARGON2_COST } from './passwords/cost-bounds.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * argon2id cost. The default is OWASP's second recommended setting (m=19 MiB, t=2, p=1); `fast` is for
 * test suites that create many users and never face an attacker.
 */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const PASSWORD_HASHING_PRESETS = {
  standard: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  fast: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
} as const satisfies Record<string, PasswordHashing>;
export type PasswordHashingPreset = keyof typeof PASSWORD_HASHING_PRESETS;

/**
 * Brute-force and overload bounds (RFC 6749 §2.3.1, §4.3.2; docs/hardening.md). High enough for
 * a CI suite that logs in thousands of times, never off: every value is a finite positive whole number.
 */
export interface Limits {
  /**
   * Failed logins per client address per minute, across the login form, the password grant and /api/login; the same
   * number, counted apart, of unknown device user codes (oauth/user-code-guard.ts).
   */
  failedLoginsPerAddress: number;
  /** Consecutive failures of one login id (per application) that lock it. */
  lockoutFailures: number;
  /** How long that lock lasts. */
  lockoutSeconds: number;
  /** Failed client secrets per client_id per minute at /oauth2/token and /oauth2/introspect. */
  failedClientSecretsPerClient: number;
  /** Password checks that may wait for an argon2 thread; more answer 503 without waiting for one (after a short hold). */
  passwordQueue: number;
  /** How long one password check may wait for an argon2 thread before it answers 503. */
  passwordQueueTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  failedLoginsPerAddress: 100,
  lockoutFailures: 10,
  lockoutSeconds: 300,
  failedClientSecretsPerClient: 50,
  passwordQueue: 100,
  passwordQueueTimeoutMs: 10_000,
};

export interface Config {
  port: number;
  host: string;
  /** The issuer of tenants that have none of their own; unset means `http://localhost:<listening port>`. */
  issuer: string | undefined;
  /** A file path, or `:memory:` for a throw-away instance. */
  db: string;
  /** A kickstart file path, an inline kickstart object, or nothing for the default seed. */
  kickstart: string | Kickstart | undefined;
  logLevel: LogLevel;
  passwordHashing: PasswordHashing;
  limits: Limits;
  /** Milliseconds since the epoch; every expiry and `iat` follows it, so tests move it instead of sleeping. */
  now: () => number;
  /** The hosted login page also lists the application's users as one-click buttons; loopback only. */
  devUserPicker: boolean;
  /**
   * Fastify's trustProxy: whether `X-Forwarded-Proto/Host/For` are believed. `true` believes any client;
   * a list believes only those addresses or CIDR ranges (docs/hardening.md, "Client address").
   */
  trustProxy: boolean | string[];
  /**
   * The test control API under `/_standin/` (clock, faults, reset, revoke): unset means on only when
   * listening on loopback (see control/guard.ts); `true` or `false` decides.
   */
  control: boolean | undefined;
}

export type ConfigInput = Partial<Omit<Config, 'passwordHashing' | 'trustProxy' | 'limits'>> & {
  passwordHashing?: PasswordHashingPreset | PasswordHashing;
  /** Any of the limits; the rest keep their defaults. */
  limits?: Partial<Limits>;
  /** `true`, `false`, or addresses: an array or one comma-separated string. */
  trustProxy?: boolean | string | string[];
};

export const DEFAULT_PORT = 9011;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = './data/standin.db';

/** A configuration value that cannot be used; the CLI prints its message as one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function resolveConfig(input: ConfigInput = {}): Config {
  return {
    port: checkPort(input.port ?? DEFAULT_PORT),
    host: checkHost(input.host ?? DEFAULT_HOST),
    issuer: input.issuer === undefined ? undefined : checkIssuer(input.issuer),
    db: checkDb(input.db ?? DEFAULT_DB),
    kickstart: input.kickstart,
    logLevel: checkLogLevel(input.logLevel ?? 'info'),
    passwordHashing: checkPasswordHashing(input.passwordHashing ?? 'standard'),
    limits: checkLimits(input.limits ?? {}),
    now: input.now ?? Date.now,
    devUserPicker: checkDevUserPicker(input.devUserPicker ?? false, input.host ?? DEFAULT_HOST),
    trustProxy: checkTrustProxy(input.trustProxy ?? false),
    control: checkControl(input.control),
  };
}

/** One click logs in as anyone: only where nobody else on the network can reach the page (docs/test-control.md, "Developer tools"). */
function checkDevUserPicker(on: boolean, host: string): boolean {
  if (on && !isLoopback(host)) {
    throw new ConfigError(
      `the dev user picker logs in without a password, so it is refused on host ${JSON.stringify(host)}: listen on 127.0.0.1, ::1 or localhost`,
    );
  }
  return on;
}

// proxy-addr's names for ranges, which Fastify's trustProxy also takes.
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function checkTrustProxy(value: boolean | string | string[]): boolean | string[] {
  if (typeof value === 'boolean') return value;
  const addresses = (Array.isArray(value) ? value : value.split(',')).map((address) => address.trim()).filter((address) => address !== '');
  for (const address of addresses) {
    const [ip = '', bits, ...rest] = address.split('/');
    const family = isIP(ip);
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(PROXY_RANGES.includes(address) || (family !== 0 && okBits && rest.length === 0))) {
      throw new ConfigError(
        `invalid trust proxy ${JSON.stringify(address)}: expected an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
      );
    }
  }
  if (addresses.length === 0) throw new ConfigError('invalid trust proxy "": expected true, or addresses of the proxies to trust');
  return addresses;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid port ${JSON.stringify(port)}: expected a whole number from 0 to 65535`);
  }
  return port;
}

function checkHost(host: string): string {
  if (host.trim() === '' || /\s/.test(host)) {
    throw new ConfigError(`invalid host ${JSON.stringify(host)}: expected an address or host name such as 127.0.0.1`);
  }
  return host;
}

/** OIDC Discovery §3: the issuer is an https (here also http) URL with no query or fragment. */
function checkIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`invalid issuer ${JSON.stringify(issuer)}: expected an absolute URL such as http://localhost:9011`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`invalid issuer ${JSON.stringify(issuer)}: expected an http(s) URL with no query or fragment`);
  }
  return issuer;
}

function checkDb(db: string): string {
  if (db.trim() === '') throw new ConfigError('invalid db "": expected a file path or :memory:');
  return db;
}

function checkLogLevel(level: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`invalid log level ${JSON.stringify(level)}: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return level as LogLevel;
}

function checkPasswordHashing(value: PasswordHashingPreset | PasswordHashing): PasswordHashing {
  if (typeof value === 'string') {
    if (!Object.hasOwn(PASSWORD_HASHING_PRESETS, value)) {
      throw new ConfigError(`invalid password hashing ${JSON.stringify(value)}: expected one of ${Object.keys(PASSWORD_HASHING_PRESETS).join(', ')}`);
    }
    return PASSWORD_HASHING_PRESETS[value];
  }
  const { memoryCost, timeCost, parallelism } = value;
  // argon2 (RFC 9106 §3.1) needs m >= 8p KiB, t >= 1, p >= 1.
  if (![memoryCost, timeCost, parallelism].every(Number.isInteger) || parallelism < 1 || timeCost < 1 || memoryCost < 8 * parallelism) {
    throw new ConfigError('invalid password hashing: expected whole numbers with parallelism >= 1, timeCost >= 1, memoryCost >= 8 * parallelism');
  }
  // Above these a login refuses to check the hash (passwords/cost-bounds.ts): every login would fail.
  const max = MAX_ARGON2_COST;
  if (memoryCost > max.memoryKiB || timeCost > max.time || parallelism > max.parallelism) {
    throw new ConfigError(
      `invalid password hashing: at most memoryCost ${max.memoryKiB} (KiB), timeCost ${max.time} and parallelism ${max.parallelism}, the most a login checks (docs/storage.md)`,
    );
  }
  return { memoryCost, timeCost, parallelism };
}

function checkLimits(input: Partial<Limits>): Limits {
  const limits = { ...DEFAULT_LIMITS, ...input };
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, name))
      throw new ConfigError(`invalid limit ${JSON.stringify(name)}: expected one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    // Finite on purpose: a limit is raised for a busy suite, never switched off (docs/hardening.md).
    if (!Number.isSafeInteger(value) || value < 1)
      throw new ConfigError(`invalid limit ${name} ${JSON.stringify(value)}: expected a whole number of at least 1`);
  }
  return limits;
}

function checkControl(value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new ConfigError(`invalid control ${JSON.stringify(value)}: expected true or false`);
  return value;
}
