// A login flood: 300 connections posting correct passwords to POST /api/login as fast as answers come back,
// ignoring Retry-After (each login costs an argon2id check; the excess must be shed cheaply), while one client
// at a time asks for discovery and one runs the refresh_token grant. The figure is the p99 latency of those two
// under the flood, beside the same probes with no flood. The flood runs in a child process (autocannon's CLI),
// so that its 300 connections do not slow the probes' own event loop.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT, SECONDS, load, sleep, startStandin } from '../lib/common.mjs';
import { APP, API_KEY, SECRET, basic, login, writeKickstart } from '../lib/standin.mjs';

export const title = 'Login flood (300 connections ignoring Retry-After)';
const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));
const FLOOD_SECONDS = Math.min(6, SECONDS);

async function probes(url, refreshToken, seconds) {
  const [discovery, refresh] = await Promise.all([
    load({ url: `${url}/.well-known/openid-configuration`, method: 'GET', connections: 1, seconds }),
    load({
      url: `${url}/oauth2/token`,
      connections: 1,
      seconds,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(APP, SECRET) },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`,
    }),
  ]);
  return { discovery, refresh };
}

export async function run({ work, shared }) {
  const standin = await startStandin({ db: ':memory:', kickstart: writeKickstart(work) });
  try {
    const { refreshToken } = await login(standin.url);
    const quiet = await probes(standin.url, refreshToken, Math.min(3, SECONDS));
    const body = JSON.stringify({ loginId: 'richard@example.com', password: 'password', applicationId: APP });
    const flood = spawn(
      process.execPath,
      [
        AUTOCANNON,
        '-c',
        '300',
        '-d',
        String(FLOOD_SECONDS + 2),
        '-m',
        'POST',
        '-H',
        'content-type=application/json',
        '-H',
        `authorization=${API_KEY}`,
        '-b',
        body,
        '-j',
        `${standin.url}/api/login`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    flood.stdout.on('data', (chunk) => (out += chunk));
    const floodDone = new Promise((resolve) => flood.on('exit', resolve));
    await sleep(1000);
    const loaded = await probes(standin.url, refreshToken, FLOOD_SECONDS);
    await floodDone;
    const f = JSON.parse(out);
    const floodSummary = {
      requests: f.requests.total,
      non2xx: f.non2xx,
      errors: f.errors + f.timeouts,
      p99: f.latency.p99,
      statusCodes: f.statusCodeStats,
    };
    const raw = { quiet, loaded, flood: floodSummary };
    shared.flood = raw;
    const row = (name, q, l) => ({
      subject: `${name}, under the flood / quiet`,
      figure: `p99 ${l.requests ? l.p99 : `> ${FLOOD_SECONDS * 1000} (no answer)`} / ${q.p99} ms`,
      detail: `${l.perSecond} req/s under the flood (mean ${l.mean} ms), ${q.perSecond} quiet; ${l.non2xx + l.errors} failed`,
      ratios: [],
    });
    const codes = Object.entries(floodSummary.statusCodes ?? {})
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', ');
    return {
      rows: [
        row('discovery', quiet.discovery, loaded.discovery),
        row('refresh_token grant', quiet.refresh, loaded.refresh),
        {
          subject: 'the flood: POST /api/login, 300 connections',
          figure: `${Math.round(floodSummary.requests / (FLOOD_SECONDS + 2))} req/s`,
          detail: `${codes}; p99 ${floodSummary.p99} ms`,
          ratios: [],
        },
      ],
      raw,
      note: `one client each for discovery and the grant, ${FLOOD_SECONDS} s, while the flood runs; lower p99 is better`,
    };
  } finally {
    await standin.stop();
  }
}
