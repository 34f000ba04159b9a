// Shared helpers for bench/run.mjs and bench/scenarios/*: ports, child servers, statistics, autocannon.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STANDIN_CLI = fileURLToPath(new URL('../../dist/standin.cjs', import.meta.url));
export const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
export const MOCK_SERVER_CLI = fileURLToPath(new URL('../../node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs', import.meta.url));

/** Seconds per load run (issue 6: 10 s); BENCH_SECONDS=2 for a quick check of the harness. */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function spread(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: median(s), min: s[0], max: s.at(-1), p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

export const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * The fields of a /proc `stat` file (proc(5)) after the command name, which is in parentheses and may hold spaces:
 * the first is the state (the file's third field).
 */
function statFields(stat) {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Page faults a process has taken that needed no disk read (`minflt`, /proc/<pid>/stat's tenth field; Linux). */
export function minorFaults(pid) {
  return Number(statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[7]);
}

/**
 * Microseconds this machine takes to give a process a page of memory on its first touch: 64 MiB of fresh memory
 * written one byte per 4 KiB page, less the same writes again. Some virtual machines take 10 µs or more where
 * others take well under one (bench/README.md, "This session's machine"), and a start touches thousands of pages.
 */
export function firstTouchMicros() {
  const bytes = 64 * 1024 * 1024;
  const page = 4096;
  const touch = (buffer) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < bytes; i += page) buffer[i] = 1;
    return Number(process.hrtime.bigint() - start) / 1e3 / (bytes / page);
  };
  // Not zero-filled: above glibc's mmap threshold, so its pages are mapped on their first touch.
  const fresh = Buffer.allocUnsafeSlow(bytes);
  const first = touch(fresh);
  return first - touch(fresh);
}

// The kernel's clock ticks a second in /proc's CPU times (USER_HZ: 100 on Linux's every architecture).
const TICKS = 100;

/**
 * CPU seconds a process has used, from /proc (Linux): its main thread (a Node server's event loop) and all its
 * other threads together (libuv's pool, V8's garbage collector and compiler threads).
 */
export function threadCpu(pid) {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended between the listing and the read
    }
    // utime and stime: the file's 14th and 15th fields.
    const fields = statFields(stat);
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
    if (tid === String(pid)) main += seconds;
    else others += seconds;
  }
  return { main, others };
}

/**
 * Spawns a server process and polls `readyPath` every 2 ms until it answers 200. Resolves with the
 * milliseconds from spawn to that 200, the child and a stop() that waits for its exit.
 */
export async function startServer({ command = process.execPath, args, env, readyPath, port, nodeOptions = [] }) {
  const started = process.hrtime.bigint();
  const child = spawn(command, [...nodeOptions, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: serverEnvironment(env), cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr.slice(0, 2000)}`);
    if (i > 15_000) {
      await stop('SIGKILL');
      throw new Error(`${args.join(' ')} did not answer ${readyPath} within 30 s`);
    }
    try {
      const response = await fetch(url + readyPath);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, url, port, child, pid: child.pid, stop, stderr: () => stderr };
}

/**
 * The environment a server starts with: the bench's own and `env`, less NODE_EXTRA_CA_CERTS. Where that is set (as on
 * the sandboxes this bench was written on), Node 20 builds its store of root certificates with every certificate in
 * that file before it runs any JavaScript: 38 ms of a bare Node start there, the same for every process, which would
 * hide a start's own cost in the cold-start ratios (bench/README.md, "Twenty-second round"). No server here opens a
 * TLS connection.
 */
function serverEnvironment(env) {
  const environment = { ...process.env, ...env };
  delete environment.NODE_EXTRA_CA_CERTS;
  return environment;
}

/** Ready at the first 200 on `readyPath`: `/api/status` by default, which answers before the default seed is done. */
export async function startStandin({ db = ':memory:', kickstart, passwordHashing = 'standard', nodeOptions, env, readyPath = '/api/status' } = {}) {
  const port = await freePort();
  const args = [STANDIN_CLI, '--port', String(port), '--host', '127.0.0.1', '--db', db, '--log-level', 'warn', '--password-hashing', passwordHashing];
  if (kickstart) args.push('--kickstart', kickstart);
  return startServer({ args, port, readyPath, nodeOptions, env });
}

/** `accessTokenFormat: 'jwt'` makes its access tokens RS256 JWTs, as FusionAuth's (bench/servers/oidc-provider.mjs). */
export async function startOidcProvider({ accessTokenFormat = 'opaque' } = {}) {
  const port = await freePort();
  const env = { PORT: String(port), ACCESS_TOKEN_FORMAT: accessTokenFormat };
  return startServer({ args: [`${SERVERS}oidc-provider.mjs`], env, port, readyPath: '/.well-known/openid-configuration' });
}

export async function startMockServer() {
  const port = await freePort();
  return startServer({ args: [MOCK_SERVER_CLI, '-a', '127.0.0.1', '-p', String(port)], port, readyPath: '/.well-known/openid-configuration' });
}

export async function startBareNode() {
  const port = await freePort();
  return startServer({ args: [`${SERVERS}bare-http.mjs`], env: { PORT: String(port) }, port, readyPath: '/api/status' });
}

/** A bare Node server signing the two RS256 tokens of a refresh_token grant per POST (servers/two-signatures.mjs). */
export async function startTwoSignatures() {
  const port = await freePort();
  return startServer({ args: [`${SERVERS}two-signatures.mjs`], env: { PORT: String(port) }, port, readyPath: '/' });
}

export async function startFastifyEmpty() {
  const port = await freePort();
  return startServer({ args: [`${SERVERS}fastify-empty.mjs`], env: { PORT: String(port) }, port, readyPath: '/' });
}

/**
 * One autocannon run against loopback. `requests` as autocannon takes them; answers that are not 2xx are
 * counted and reported, never hidden.
 */
export async function load({ url, connections, seconds = SECONDS, method = 'POST', headers, body, requests }) {
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    method,
    headers,
    body,
    requests,
  });
  return {
    connections,
    seconds,
    requests: result.requests.total,
    perSecond: Math.round((result.requests.total / seconds) * 10) / 10,
    mean: Math.round(result.latency.average * 100) / 100,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Fails loudly when a load run answered mostly errors: a broken harness must not print a figure. */
export function checkLoad(name, run) {
  if (run.requests === 0 || run.non2xx + run.errors > run.requests * 0.01) {
    throw new Error(`${name}: ${run.non2xx} non-2xx and ${run.errors} errors in ${run.requests} requests`);
  }
  return run;
}
