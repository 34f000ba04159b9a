#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { banner } from './banner.js';
import { ConfigError, DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, LOG_LEVELS, PASSWORD_HASHING_PRESETS, type ConfigInput, type LogLevel, type PasswordHashingPreset } from './config.js';
import { KickstartError } from './kickstart/types.js';
import { STANDIN_VERSION } from './version.js';

/** The exit code for configuration the user must fix (the contract in DESIGN.md). */
const BAD_CONFIG = 2;

interface CliOptions {
  port: string;
  host: string;
  issuer?: string;
  db: string;
  kickstart?: string;
  logLevel: string;
  passwordHashing: string;
}

function parseArguments(argv: string[]): ConfigInput {
  const program = new Command('standin')
    .description("A local identity provider that speaks FusionAuth's OAuth 2.0 / OpenID Connect / JWT API.")
    .version(STANDIN_VERSION)
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').env('STANDIN_PORT').default(String(DEFAULT_PORT)))
    .addOption(new Option('--host <host>', 'address to listen on').env('STANDIN_HOST').default(DEFAULT_HOST))
    .addOption(new Option('--issuer <url>', 'issuer and public URL (default http://localhost:<port>)').env('STANDIN_ISSUER'))
    .addOption(new Option('--db <file>', 'SQLite database file, or :memory:').env('STANDIN_DB').default(DEFAULT_DB))
    .addOption(new Option('--kickstart <file>', "FusionAuth kickstart.json to seed an empty database (also FUSIONAUTH_APP_KICKSTART_FILE)").env('STANDIN_KICKSTART'))
    .addOption(new Option('--log-level <level>', 'log level').env('STANDIN_LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addOption(
      new Option('--password-hashing <cost>', 'argon2id cost: standard, or fast for test suites').env('STANDIN_PASSWORD_HASHING').choices(Object.keys(PASSWORD_HASHING_PRESETS)).default('standard'),
    )
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  program.parse(argv);
  const options = program.opts<CliOptions>();
  if (!/^\d+$/.test(options.port)) throw new ConfigError(`invalid port ${JSON.stringify(options.port)}: expected a whole number from 0 to 65535`);
  const kickstart = options.kickstart ?? process.env.FUSIONAUTH_APP_KICKSTART_FILE;
  return {
    port: Number(options.port),
    host: options.host,
    db: options.db,
    logLevel: options.logLevel as LogLevel,
    passwordHashing: options.passwordHashing as PasswordHashingPreset,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(kickstart === undefined || kickstart === '' ? {} : { kickstart }),
  };
}

async function main(): Promise<void> {
  const app = await buildApp(parseArguments(process.argv));
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'stopping after an unexpected error');
    await app.close();
  });
  await app.listen({ port: app.standin.config.port, host: app.standin.config.host });
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
