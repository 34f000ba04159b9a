// Webhook delivery must not slow other requests down (docs/webhooks.md, "Delivery"): p99 of discovery and of
// POST /api/jwt/refresh (which emits jwt.refresh) at concurrency 10, with no webhook, with a webhook whose
// receiver is dead (connection refused), and with one whose receiver accepts and never answers (every delivery
// ends at its 1 s readTimeout). Run after a build: `npm run build && node bench/webhooks.mjs`. The three are run in
// turn, ROUNDS times (BENCH_ROUNDS, default 3), and each figure is the median over the rounds, so that the noise of
// a shared machine falls on all three alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SECONDS, checkLoad, freePort, load, median, startStandin } from './lib/common.mjs';
import { API_KEY, login, writeKickstart } from './lib/standin.mjs';

const api = (url, method, path, body) =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  }).then(async (response) => {
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  });

async function silentReceiver() {
  const server = createServer(() => undefined);
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/hook`, close: () => (server.closeAllConnections(), server.close()) };
}

async function measure(work, receiverUrl) {
  const standin = await startStandin({ db: ':memory:', kickstart: writeKickstart(work), passwordHashing: 'fast' });
  try {
    if (receiverUrl) {
      const { tenants } = await api(standin.url, 'GET', '/api/tenant');
      const events = { 'jwt.refresh': { enabled: true, transactionType: 'None' } };
      await api(standin.url, 'PATCH', `/api/tenant/${tenants[0].id}`, { tenant: { eventConfiguration: { events } } });
      await api(standin.url, 'POST', '/api/webhook', {
        webhook: { url: receiverUrl, connectTimeout: 1000, readTimeout: 1000, global: true, eventsEnabled: { 'jwt.refresh': true } },
      });
    }
    const { refreshToken } = await login(standin.url);
    const refresh = checkLoad(
      'jwt refresh',
      await load({
        url: `${standin.url}/api/jwt/refresh`,
        connections: 10,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }),
    );
    // Discovery while the refreshes' deliveries are still queued or retrying.
    const discovery = checkLoad('discovery', await load({ url: `${standin.url}/.well-known/openid-configuration`, method: 'GET', connections: 10 }));
    return { refresh, discovery };
  } finally {
    await standin.stop();
  }
}

const work = mkdtempSync(join(tmpdir(), 'standin-bench-webhooks-'));
try {
  const silent = await silentReceiver();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const runs = { none: [], dead: [], silent: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      runs.none.push(await measure(work));
      runs.dead.push(await measure(work, `http://127.0.0.1:${await freePort()}/hook`));
      runs.silent.push(await measure(work, silent.url));
    }
  } finally {
    silent.close();
  }
  const summary = (list, key) => ({ p99: median(list.map((run) => run[key].p99)), perSecond: median(list.map((run) => run[key].perSecond)) });
  const results = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [name, { refresh: summary(list, 'refresh'), discovery: summary(list, 'discovery'), runs: list }]),
  );
  console.log(`Webhook receivers vs none: p99 latency (ms) and requests/s at concurrency 10, ${SECONDS} s per run, median of ${rounds} rounds`);
  console.log('| receiver | /api/jwt/refresh p99 | req/s | discovery p99 | req/s |');
  console.log('|---|---|---|---|---|');
  for (const [name, { refresh, discovery }] of Object.entries(results)) {
    console.log(`| ${name} | ${refresh.p99} | ${refresh.perSecond} | ${discovery.p99} | ${discovery.perSecond} |`);
  }
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/webhooks.json'), JSON.stringify(results, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
