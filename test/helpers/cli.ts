import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { temporaryFolder } from './temporary-folder.js';

/** The built CLI, as `npm start` and the `standin` bin run it (`npm test` builds it first). */
export const CLI = fileURLToPath(new URL('../../dist/standin.cjs', import.meta.url));

export interface RunningCli {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cliFolder: string | undefined;

/**
 * The TMPDIR of the CLIs this test process starts, removed when it exits: a CLI on a database file keeps its reset
 * copy there (docs/test-control.md), and one stopped with SIGKILL leaves that copy behind.
 */
export function cliTemporaryFolder(): string {
  if (cliFolder === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'standin-cli-tmp-'));
    process.once('exit', () => {
      rmSync(folder, { recursive: true, force: true });
    });
    cliFolder = folder;
  }
  return cliFolder;
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, TMPDIR: cliTemporaryFolder(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Starts the CLI (port 0 unless given) and resolves once its banner names the URL it listens on. */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<RunningCli> {
  const run = spawnCli(args, env);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /ready at (http:\/\/\S+)/.exec(run.stdout());
    if (match) {
      return {
        child: run.child,
        url: match[1]!,
        stdout: run.stdout,
        stderr: run.stderr,
        stop: async (signal = 'SIGTERM') => {
          run.child.kill(signal);
          return run.exited;
        },
      };
    }
    if (run.child.exitCode !== null || Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new Error(`standin did not start (exit ${run.child.exitCode}): ${run.stderr()}${run.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the CLI expecting it to exit by itself (bad configuration), and resolves with what it printed. */
export async function runCliToExit(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<Exited> {
  const run = spawnCli(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * The built CLI on port 0 and an in-memory database, with fast hashing, booting `kickstart` from a file in a
 * temporary folder. Stopped, and the folder removed, when the test ends.
 */
export async function startCliWithKickstart(t: Test, kickstart: unknown, options: { logLevel: string; folderPrefix: string }): Promise<RunningCli> {
  // Teardowns run last-registered first: the process stops before its folder goes.
  const dir = temporaryFolder(t, options.folderPrefix);
  const file = join(dir, 'kickstart.json');
  writeFileSync(file, JSON.stringify(kickstart));
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--log-level', options.logLevel, '--password-hashing', 'fast', '--kickstart', file]);
  t.teardown(() => cli.stop());
  return cli;
}
