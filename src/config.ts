import type { Kickstart } from './kickstart/types.js';

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
  /** Milliseconds since the epoch; every expiry and `iat` follows it, so tests move it instead of sleeping. */
  now: () => number;
}

export type ConfigInput = Partial<Omit<Config, 'passwordHashing'>> & {
  passwordHashing?: PasswordHashingPreset | PasswordHashing;
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
    now: input.now ?? Date.now,
  };
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
      throw new ConfigError(
        `invalid password hashing ${JSON.stringify(value)}: expected one of ${Object.keys(PASSWORD_HASHING_PRESETS).join(', ')}`,
      );
    }
    return PASSWORD_HASHING_PRESETS[value];
  }
  const { memoryCost, timeCost, parallelism } = value;
  // argon2 (RFC 9106 §3.1) needs m >= 8p KiB, t >= 1, p >= 1.
  if (![memoryCost, timeCost, parallelism].every(Number.isInteger) || parallelism < 1 || timeCost < 1 || memoryCost < 8 * parallelism) {
    throw new ConfigError('invalid password hashing: expected whole numbers with parallelism >= 1, timeCost >= 1, memoryCost >= 8 * parallelism');
  }
  return { memoryCost, timeCost, parallelism };
}
