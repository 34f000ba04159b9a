// npm run soak: Standin under mixed load on loopback for SOAK_SECONDS (default 600, i.e. 10 minutes; it stops
// by itself), then a login storm. Security checklist R13, R14, R16; README "Hardening".
//
// Steady phase, one row per minute: /api/login (a full argon2 login), /api/jwt/refresh (a Reusable refresh
// token) and discovery, each its own autocannon instance, all at once. Errors (anything but 2xx, plus
// socket errors and timeouts) must be 0; p99 per minute and Standin's RSS per minute must stay flat.
//
// Storm phase (STORM_SECONDS, default 20): STORM_CONNECTIONS (default 100) connections of logins, as many
// as the password queue holds, with discovery and refresh measured alongside: logins slow down, discovery
// and refresh keep their quiet p99, and Standin's event-loop delay stays low because argon2 runs off the loop.
// Then an overflow (OVERFLOW_SECONDS, default 5) at OVERFLOW_CONNECTIONS (default 300), past the bound:
// logins past it answer 503 after a 100 ms hold (shed, reported, not errors). autocannon ignores Retry-After
// and re-sends as soon as each 503 arrives, so the overflow is also a flood of cheap requests; its discovery p99
// shows that cost.
//
// Standin runs in a child (bench/servers/standin-soak.mjs) that reports its event-loop delay, RSS and
// password queue over IPC. The machine may be shared: the figures carry its noise; compare rows of one run.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { API_KEY, APP, login as formLogin, setPolicy, writeKickstart } from './lib/standin.mjs';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const STORM_SECONDS = Number(process.env.STORM_SECONDS ?? 20);
const STORM_CONNECTIONS = Number(process.env.STORM_CONNECTIONS ?? 100);
const OVERFLOW_SECONDS = Number(process.env.OVERFLOW_SECONDS ?? 5);
const OVERFLOW_CONNECTIONS = Number(process.env.OVERFLOW_CONNECTIONS ?? 300);
// Bounded: a run never outlives its budget, whatever the environment says.
if (
  !(SOAK_SECONDS >= 5 && SOAK_SECONDS <= 3600) ||
  !(STORM_SECONDS >= 0 && STORM_SECONDS <= 300) ||
  !(OVERFLOW_SECONDS >= 0 && OVERFLOW_SECONDS <= 60)
) {
  throw new Error('SOAK_SECONDS must be 5..3600, STORM_SECONDS 0..300 and OVERFLOW_SECONDS 0..60');
}
const SERVER = fileURLToPath(new URL('./servers/standin-soak.mjs', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'standin-soak-'));
const db = join(work, 'standin.db');
const child = fork(SERVER, [writeKickstart(work), db], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const replies = [];
let waiting;
child.on('message', (message) => (waiting ? (waiting(message), (waiting = undefined)) : replies.push(message)));
const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => (waiting = resolve)));
const sample = () => {
  child.send('sample');
  return next();
};

const { url } = await next();
await setPolicy(url, 'Reusable');
const { refreshToken } = await formLogin(url);
const json = { 'content-type': 'application/json' };
const targets = {
  login: {
    connections: 4,
    method: 'POST',
    path: '/api/login',
    headers: { ...json, authorization: API_KEY },
    body: JSON.stringify({ loginId: 'richard@example.com', password: 'password', applicationId: APP }),
  },
  refresh: { connections: 4, method: 'POST', path: '/api/jwt/refresh', headers: json, body: JSON.stringify({ refreshToken }) },
  discovery: { connections: 2, method: 'GET', path: '/.well-known/openid-configuration' },
};

/** One autocannon instance for `seconds`; counts every status, so shed 503s and errors are told apart. */
function run(target, seconds, connections = target.connections) {
  return new Promise((resolve, reject) => {
    const statuses = {};
    const instance = autocannon(
      {
        url: url + target.path,
        method: target.method,
        headers: target.headers,
        body: target.body,
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 30,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          perSecond: Math.round(result.requests.total / seconds),
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          statuses,
          socketErrors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
  });
}

const errorsOf = (result, allowed = []) =>
  result.socketErrors +
  Object.entries(result.statuses)
    .filter(([status]) => !(status < 300 || allowed.includes(Number(status))))
    .reduce((sum, [, n]) => sum + n, 0);

const rows = [];
const started = performance.now();
const baseline = await sample();
process.stderr.write(
  `[soak] ${SOAK_SECONDS} s steady + ${STORM_SECONDS} s storm against ${url}; ${cpus().length} cores; Standin RSS at start ${baseline.rssMiB} MiB\n`,
);
let minute = 0;
for (let remaining = SOAK_SECONDS; remaining > 0; remaining -= 60) {
  const seconds = Math.min(60, remaining);
  const [login, refresh, discovery] = await Promise.all([
    run(targets.login, seconds),
    run(targets.refresh, seconds),
    run(targets.discovery, seconds),
  ]);
  const server = await sample();
  const row = {
    minute: ++minute,
    seconds,
    loginPerSecond: login.perSecond,
    loginP99: login.p99,
    refreshPerSecond: refresh.perSecond,
    refreshP99: refresh.p99,
    discoveryPerSecond: discovery.perSecond,
    discoveryP99: discovery.p99,
    errors: errorsOf(login) + errorsOf(refresh) + errorsOf(discovery),
    rssMiB: server.rssMiB,
    heapMiB: server.heapMiB,
    loopDelayP99: server.loopDelay.p99,
  };
  rows.push(row);
  process.stderr.write(`[soak] minute ${row.minute}: ${JSON.stringify(row)}\n`);
}

// Discovery and refresh alone first, for a reference p99 on this machine at this moment.
const quiet = STORM_SECONDS + OVERFLOW_SECONDS > 0 ? await Promise.all([run(targets.refresh, 5, 2), run(targets.discovery, 5, 2)]) : [];
async function stormOf(connections, seconds) {
  // Start from an empty password queue: connections autocannon closed leave their checks queued behind them.
  for (let i = 0; i < 60; i++) {
    const { passwords } = await sample();
    if (passwords.running + passwords.waiting === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await sample();
  const [logins, refresh, discovery] = await Promise.all([
    run(targets.login, seconds, connections),
    run(targets.refresh, seconds, 2),
    run(targets.discovery, seconds, 2),
  ]);
  const server = await sample();
  return {
    connections,
    seconds,
    logins: { ok: logins.statuses[200] ?? 0, shed503: logins.statuses[503] ?? 0, errors: errorsOf(logins, [503]), p50: logins.p50, p99: logins.p99 },
    refresh: { requests: refresh.requests, perSecond: refresh.perSecond, p99: refresh.p99, p99Quiet: quiet[0].p99, errors: errorsOf(refresh) },
    discovery: {
      requests: discovery.requests,
      perSecond: discovery.perSecond,
      p99: discovery.p99,
      p99Quiet: quiet[1].p99,
      errors: errorsOf(discovery),
    },
    loopDelay: server.loopDelay,
    rssMiB: server.rssMiB,
  };
}
const storms = [];
if (STORM_SECONDS > 0) storms.push({ name: 'storm', ...(await stormOf(STORM_CONNECTIONS, STORM_SECONDS)) });
if (OVERFLOW_SECONDS > 0) storms.push({ name: 'overflow', ...(await stormOf(OVERFLOW_CONNECTIONS, OVERFLOW_SECONDS)) });
for (const storm of storms) process.stderr.write(`[soak] ${storm.name}: ${JSON.stringify(storm)}\n`);

child.send('stop');
await new Promise((resolve) => child.on('exit', resolve));
const dbMiB = Math.round((statSync(db).size / 2 ** 20) * 10) / 10;
rmSync(work, { recursive: true, force: true });

const errors =
  rows.reduce((sum, row) => sum + row.errors, 0) +
  storms.reduce((sum, storm) => sum + storm.logins.errors + storm.refresh.errors + storm.discovery.errors, 0);
const first = rows[0];
const last = rows.at(-1);
console.log('\nminute  login/s  login p99  refresh/s  refresh p99  discovery/s  discovery p99  errors  RSS MiB  heap MiB  loop p99 ms');
for (const r of rows) {
  console.log(
    [
      r.minute,
      r.loginPerSecond,
      r.loginP99,
      r.refreshPerSecond,
      r.refreshP99,
      r.discoveryPerSecond,
      r.discoveryP99,
      r.errors,
      r.rssMiB,
      r.heapMiB,
      r.loopDelayP99,
    ]
      .map((v, i) => String(v).padStart([6, 8, 10, 10, 12, 12, 14, 7, 8, 9, 12][i]))
      .join(' '),
  );
}
for (const storm of storms) {
  console.log(
    `\n${storm.name} (${storm.connections} login connections, ${storm.seconds} s): logins ${storm.logins.ok} ok, ${storm.logins.shed503} shed with 503, p99 ${storm.logins.p99} ms; ` +
      `refresh ${storm.refresh.requests} answered, p99 ${storm.refresh.p99} ms (quiet ${storm.refresh.p99Quiet}); discovery ${storm.discovery.requests} answered, p99 ${storm.discovery.p99} ms (quiet ${storm.discovery.p99Quiet}); ` +
      `Standin event-loop delay p50 ${storm.loopDelay.p50} / p99 ${storm.loopDelay.p99} / max ${storm.loopDelay.max} ms`,
  );
}
console.log(
  `\nerrors: ${errors}; RSS ${baseline.rssMiB} MiB before load, ${first.rssMiB} after minute 1, ${last.rssMiB} at the end; database ${dbMiB} MiB; ${Math.round((performance.now() - started) / 1000)} s`,
);
// Flat: after the first minute (caches and JIT warm up), the RSS may not keep climbing.
const growth = last.rssMiB - first.rssMiB;
const flat = rows.length < 3 || growth <= Math.max(16, first.rssMiB * 0.15);
console.log(
  flat
    ? `memory: flat (${growth >= 0 ? '+' : ''}${Math.round(growth * 10) / 10} MiB from minute 1 to the end)`
    : `memory: GROWING by ${growth} MiB from minute 1 to the end`,
);
process.exitCode = errors === 0 && flat ? 0 : 1;
