#!/usr/bin/env node
import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { banner } from './banner.js';
import { readCliArguments, type CliOption } from './cli-arguments.js';
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

/**
 * The brute-force and overload limits (docs/hardening.md), each an option whose variable is its flag in capitals
 * after `STANDIN_` (`--password-queue`: STANDIN_PASSWORD_QUEUE); resolveConfig refuses zero and fractions.
 */
const LIMIT_FLAGS: Record<keyof Limits, [`--${string}`, `<${string}>`, string]> = {
  failedLoginsPerAddress: ['--max-failed-logins', '<n>', 'failed logins per client address per minute before 429'],
  lockoutFailures: ['--lockout-failures', '<n>', 'consecutive failures that lock a login id'],
  lockoutSeconds: ['--lockout-seconds', '<s>', 'how long a locked login id stays locked'],
  failedClientSecretsPerClient: ['--max-failed-client-secrets', '<n>', 'wrong client secrets per client_id per minute before 429'],
  passwordQueue: ['--password-queue', '<n>', 'password checks that may wait for argon2 before 503'],
  passwordQueueTimeoutMs: ['--password-queue-timeout', '<ms>', 'how long a password check may wait for argon2 before 503'],
};
const limitEntries = Object.entries(LIMIT_FLAGS) as [keyof Limits, (typeof LIMIT_FLAGS)[keyof Limits]][];

/** The command line's options, in the order `--help` lists them (cli-arguments.ts reads them). */
const OPTIONS: readonly CliOption[] = [
  { flag: '--port', value: '<port>', help: 'port to listen on (0 picks a free one)', env: 'STANDIN_PORT', default: String(DEFAULT_PORT) },
  { flag: '--host', value: '<host>', help: 'address to listen on', env: 'STANDIN_HOST', default: DEFAULT_HOST },
  { flag: '--issuer', value: '<url>', help: 'issuer and public URL (default http://localhost:<port>)', env: 'STANDIN_ISSUER' },
  { flag: '--db', value: '<file>', help: 'SQLite database file, or :memory:', env: 'STANDIN_DB', default: DEFAULT_DB },
  {
    flag: '--kickstart',
    value: '<file>',
    help: 'FusionAuth kickstart.json to seed an empty database (also FUSIONAUTH_APP_KICKSTART_FILE)',
    env: 'STANDIN_KICKSTART',
  },
  { flag: '--log-level', value: '<level>', help: 'log level', env: 'STANDIN_LOG_LEVEL', choices: LOG_LEVELS, default: 'info' },
  {
    flag: '--password-hashing',
    value: '<cost>',
    help: 'argon2id cost: standard, or fast for test suites',
    env: 'STANDIN_PASSWORD_HASHING',
    choices: Object.keys(PASSWORD_HASHING_PRESETS),
    default: 'standard',
  },
  {
    flag: '--dev-user-picker',
    help: "the login page lists the application's users as one-click buttons (loopback only; also STANDIN_DEV_USER_PICKER=true)",
  },
  {
    flag: '--trust-proxy',
    value: '[addresses]',
    help: 'believe X-Forwarded-Proto/Host/For: from anyone, or only from these comma-separated addresses or CIDRs (also STANDIN_TRUST_PROXY)',
  },
  {
    flag: '--control',
    value: '[enabled]',
    help: 'the test control API under /_standin/: true or false (default: on only when listening on loopback; also STANDIN_CONTROL)',
  },
  ...limitEntries.map(([limit, [flag, value, help]]): CliOption => {
    const env = `STANDIN_${flag.slice(2).replace(/-/g, '_').toUpperCase()}`;
    return { flag, value, help, env, default: String(DEFAULT_LIMITS[limit]) };
  }),
];

/** The configuration the command line asks for, or the text it asks to print (`--help`, `--version`). */
function parseArguments(argv: string[]): ConfigInput | { print: string } {
  const request = readCliArguments(argv.slice(2), process.env, {
    name: 'standin',
    description: "A local identity provider that speaks FusionAuth's OAuth 2.0 / OpenID Connect / JWT API.",
    version: STANDIN_VERSION,
    options: OPTIONS,
  });
  if ('print' in request) return request;
  const options = request.run;
  // Every option but the switch and the two whose value is optional takes a value: a string whenever present.
  const text = (name: string) => options[name] as string | undefined;
  const port = text('port')!;
  if (!/^\d+$/.test(port)) throw new ConfigError(`invalid port ${JSON.stringify(port)}: expected a whole number from 0 to 65535`);
  const kickstart = text('kickstart') ?? process.env.FUSIONAUTH_APP_KICKSTART_FILE;
  const issuer = text('issuer');
  const trustProxy = options['trust-proxy'] ?? envTrustProxy(process.env.STANDIN_TRUST_PROXY);
  return {
    port: Number(port),
    host: text('host')!,
    db: text('db')!,
    logLevel: text('log-level') as LogLevel,
    passwordHashing: text('password-hashing') as PasswordHashingPreset,
    limits: limitsOf(options),
    devUserPicker: options['dev-user-picker'] === true || envFlag('STANDIN_DEV_USER_PICKER'),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...controlOption(options.control),
    ...(issuer === undefined ? {} : { issuer }),
    ...(kickstart === undefined || kickstart === '' ? {} : { kickstart }),
  };
}

// A switch's variable is read here: any of these words, in any case; anything else is refused.
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

function limitsOf(options: Record<string, string | true>): Limits {
  const limits = {} as Limits;
  for (const [limit, [flag]] of limitEntries) {
    const value = String(options[flag.slice(2)]);
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new ConfigError(`invalid ${flag} ${JSON.stringify(value)}: expected a whole number of at least 1`);
    limits[limit] = Number(value);
  }
  return limits;
}

async function main(): Promise<void> {
  const config = parseArguments(process.argv);
  if ('print' in config) {
    process.stdout.write(config.print);
    return;
  }
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
  if (error instanceof ConfigError) fail(error.message, BAD_CONFIG);
  if (error instanceof KickstartError) fail(`kickstart failed, nothing was applied: ${error.message}`, BAD_CONFIG);
  fail(error instanceof Error ? error.message : String(error), 1);
});

function fail(message: string, code: number): never {
  process.stderr.write(`standin: ${message}\n`);
  process.exit(code);
}
