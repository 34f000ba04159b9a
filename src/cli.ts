#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import closeWithGrace from 'close-with-grace';
import { banner } from './banner.js';
import {
  ConfigError,
  DEFAULT_DB,
  DEFAULT_LIMITS,
  type Limits,
  DEFAULT_HOST,
  DEFAULT_PORT,
  LOG_LEVELS,
  PASSWORD_HASHING_PRESETS,
  type ConfigInput,
  type LogLevel,
  type PasswordHashingPreset,
} from './config.js';
import { prefetchRsaKey } from './keys/generate-key.js';
import { KickstartError } from './kickstart/types.js';
import { STANDIN_VERSION } from './version.js';

/** The exit code for configuration the user must fix (docs/architecture.md, "The face"). */
const BAD_CONFIG = 2;

interface CliOptions {
  port: string;
  host: string;
  issuer?: string;
  db: string;
  kickstart?: string;
  logLevel: string;
  passwordHashing: string;
  devUserPicker?: true;
  trustProxy?: true | string;
  control?: true | string;
}

function parseArguments(argv: string[]): ConfigInput {
  const program = new Command('standin')
    .description("A local identity provider that speaks FusionAuth's OAuth 2.0 / OpenID Connect / JWT API.")
    .version(STANDIN_VERSION)
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').env('STANDIN_PORT').default(String(DEFAULT_PORT)))
    .addOption(new Option('--host <host>', 'address to listen on').env('STANDIN_HOST').default(DEFAULT_HOST))
    .addOption(new Option('--issuer <url>', 'issuer and public URL (default http://localhost:<port>)').env('STANDIN_ISSUER'))
    .addOption(new Option('--db <file>', 'SQLite database file, or :memory:').env('STANDIN_DB').default(DEFAULT_DB))
    .addOption(
      new Option('--kickstart <file>', 'FusionAuth kickstart.json to seed an empty database (also FUSIONAUTH_APP_KICKSTART_FILE)').env(
        'STANDIN_KICKSTART',
      ),
    )
    .addOption(new Option('--log-level <level>', 'log level').env('STANDIN_LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addOption(
      new Option('--password-hashing <cost>', 'argon2id cost: standard, or fast for test suites')
        .env('STANDIN_PASSWORD_HASHING')
        .choices(Object.keys(PASSWORD_HASHING_PRESETS))
        .default('standard'),
    )
    .addOption(
      new Option(
        '--dev-user-picker',
        "the login page lists the application's users as one-click buttons (loopback only; also STANDIN_DEV_USER_PICKER=true)",
      ),
    )
    .addOption(
      new Option(
        '--trust-proxy [addresses]',
        'believe X-Forwarded-Proto/Host/For: from anyone, or only from these comma-separated addresses or CIDRs (also STANDIN_TRUST_PROXY)',
      ),
    )
    .addOption(
      new Option(
        '--control [enabled]',
        'the test control API under /_standin/: true or false (default: on only when listening on loopback; also STANDIN_CONTROL)',
      ),
    )
    .addOption(
      new Option('--max-failed-logins <n>', 'failed logins per client address per minute before 429')
        .env('STANDIN_MAX_FAILED_LOGINS')
        .default(String(DEFAULT_LIMITS.failedLoginsPerAddress)),
    )
    .addOption(
      new Option('--lockout-failures <n>', 'consecutive failures that lock a login id')
        .env('STANDIN_LOCKOUT_FAILURES')
        .default(String(DEFAULT_LIMITS.lockoutFailures)),
    )
    .addOption(
      new Option('--lockout-seconds <s>', 'how long a locked login id stays locked')
        .env('STANDIN_LOCKOUT_SECONDS')
        .default(String(DEFAULT_LIMITS.lockoutSeconds)),
    )
    .addOption(
      new Option('--max-failed-client-secrets <n>', 'wrong client secrets per client_id per minute before 429')
        .env('STANDIN_MAX_FAILED_CLIENT_SECRETS')
        .default(String(DEFAULT_LIMITS.failedClientSecretsPerClient)),
    )
    .addOption(
      new Option('--password-queue <n>', 'password checks that may wait for argon2 before 503')
        .env('STANDIN_PASSWORD_QUEUE')
        .default(String(DEFAULT_LIMITS.passwordQueue)),
    )
    .addOption(
      new Option('--password-queue-timeout <ms>', 'how long a password check may wait for argon2 before 503')
        .env('STANDIN_PASSWORD_QUEUE_TIMEOUT')
        .default(String(DEFAULT_LIMITS.passwordQueueTimeoutMs)),
    )
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  program.parse(argv);
  const options = program.opts<CliOptions>();
  if (!/^\d+$/.test(options.port)) throw new ConfigError(`invalid port ${JSON.stringify(options.port)}: expected a whole number from 0 to 65535`);
  const kickstart = options.kickstart ?? process.env.FUSIONAUTH_APP_KICKSTART_FILE;
  const trustProxy = options.trustProxy ?? envTrustProxy(process.env.STANDIN_TRUST_PROXY);
  return {
    port: Number(options.port),
    host: options.host,
    db: options.db,
    logLevel: options.logLevel as LogLevel,
    passwordHashing: options.passwordHashing as PasswordHashingPreset,
    limits: limitsOf(options as unknown as Record<string, unknown>),
    devUserPicker: options.devUserPicker ?? envFlag('STANDIN_DEV_USER_PICKER'),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...controlOption(options.control),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(kickstart === undefined || kickstart === '' ? {} : { kickstart }),
  };
}

// Commander turns any value of a boolean flag's variable on, even "false": read these ourselves.
const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off', ''];

function envFlag(name: string): boolean {
  const value = (process.env[name] ?? '').trim().toLowerCase();
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new ConfigError(`invalid ${name} ${JSON.stringify(process.env[name])}: expected true or false`);
}

function envTrustProxy(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE.includes(word)) return true;
  if (FALSE.includes(word)) return false;
  return value;
}

/** `--control` alone or `--control true|false`, else STANDIN_CONTROL; neither leaves the loopback default. */
function controlOption(flag: true | string | undefined): { control?: boolean } {
  if (flag === true) return { control: true };
  if (flag !== undefined) {
    const word = flag.trim().toLowerCase();
    if (TRUE.includes(word)) return { control: true };
    if (FALSE.includes(word) && word !== '') return { control: false };
    throw new ConfigError(`invalid --control ${JSON.stringify(flag)}: expected true or false`);
  }
  return process.env.STANDIN_CONTROL === undefined ? {} : { control: envFlag('STANDIN_CONTROL') };
}

// The brute-force and overload limits (docs/hardening.md); resolveConfig refuses zero and fractions.
const LIMIT_FLAGS = {
  failedLoginsPerAddress: ['maxFailedLogins', '--max-failed-logins'],
  lockoutFailures: ['lockoutFailures', '--lockout-failures'],
  lockoutSeconds: ['lockoutSeconds', '--lockout-seconds'],
  failedClientSecretsPerClient: ['maxFailedClientSecrets', '--max-failed-client-secrets'],
  passwordQueue: ['passwordQueue', '--password-queue'],
  passwordQueueTimeoutMs: ['passwordQueueTimeout', '--password-queue-timeout'],
} as const satisfies Record<keyof Limits, readonly [string, string]>;

function limitsOf(options: Record<string, unknown>): Limits {
  const limits = {} as Limits;
  for (const [name, [option, flag]] of Object.entries(LIMIT_FLAGS) as [keyof Limits, readonly [string, string]][]) {
    const value = String(options[option]);
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new ConfigError(`invalid ${flag} ${JSON.stringify(value)}: expected a whole number of at least 1`);
    limits[name] = Number(value);
  }
  return limits;
}

async function main(): Promise<void> {
  const config = parseArguments(process.argv);
  // A new database is seeded with a generated RS256 key: start making it on the thread pool now, while the
  // modules below load (bench/README.md, "Start-up").
  if (config.db === undefined || config.db === ':memory:' || !existsSync(config.db)) prefetchRsaKey();
  // The server's modules load only once the arguments are good: a mistake is reported at once.
  const { buildApp } = await import('./app.js');
  // A person at a terminal reads one short line per request; a pipe or a CI log gets JSON lines. The default
  // seed finishes after listening: only requests that need its data wait for it (seed/seed-gate.ts).
  const app = await buildApp(config, { human: process.stdout.isTTY, seedAfterListen: true });
  const stop = new AbortController();
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    stop.abort();
    if (err) app.log.error({ err }, 'stopping after an unexpected error');
    await app.close();
  });
  await app.listen({ port: app.standin.config.port, host: app.standin.config.host });
  try {
    await app.seeded;
  } catch (error) {
    // A signal during the seed stops it (its transaction rolls back; the next start seeds again): that is a
    // requested stop, not a failure, and there is no banner to print.
    if (stop.signal.aborted) return;
    throw error;
  }
  const { port } = app.server.address() as { port: number };
  process.stdout.write(`${banner(app, port)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    fail(error.message.replace(/^error: /, ''), BAD_CONFIG);
  }
  if (error instanceof ConfigError) fail(error.message, BAD_CONFIG);
  if (error instanceof KickstartError) fail(`kickstart failed, nothing was applied: ${error.message}`, BAD_CONFIG);
  fail(error instanceof Error ? error.message : String(error), 1);
});

function fail(message: string, code: number): never {
  process.stderr.write(`standin: ${message}\n`);
  process.exit(code);
}
