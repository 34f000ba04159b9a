// Cold start: process spawn to the first 200 on the health or discovery endpoint, RUNS runs each, and the
// resident memory right after that 200 (memory at rest).
import { join } from 'node:path';
import { ratio, spread, startMockServer, startOidcProvider, startStandin, rssMiB } from '../lib/common.mjs';
import { writeKickstart } from '../lib/standin.mjs';

export const title = 'Cold start (spawn → first 200) and memory at rest';
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);

async function measure(start) {
  const ms = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const server = await start(i);
    ms.push(server.ms);
    rss.push(rssMiB(server.pid));
    await server.stop();
  }
  return { ms: spread(ms), rss: spread(rss), samples: ms.map((s) => Math.round(s)) };
}

export async function run({ work }) {
  const kickstart = writeKickstart(work, { apps: 10, users: 100 });
  const existing = join(work, 'cold-existing', 'standin.db');
  await (await startStandin({ db: existing })).stop();
  const subjects = {
    'Standin, default seed, new file DB (seeds: keys, 2 argon2id hashes)': (i) => startStandin({ db: join(work, `cold-new-${i}`, 'standin.db') }),
    'Standin, default seed, existing file DB (restart)': () => startStandin({ db: existing }),
    'Standin, default seed, :memory:': () => startStandin({ db: ':memory:' }),
    'Standin, kickstart 10 apps + 100 users, :memory:, --password-hashing fast': () => startStandin({ db: ':memory:', kickstart, passwordHashing: 'fast' }),
    'oidc-provider 9': () => startOidcProvider(),
    'oauth2-mock-server 8': () => startMockServer(),
  };
  const raw = {};
  for (const [name, start] of Object.entries(subjects)) raw[name] = await measure(start);
  const op = raw['oidc-provider 9'];
  const mock = raw['oauth2-mock-server 8'];
  const rows = [];
  for (const [name, r] of Object.entries(raw)) {
    const standin = name.startsWith('Standin');
    rows.push({
      subject: name,
      figure: `${r.ms.median.toFixed(0)} ms`,
      detail: `min ${r.ms.min.toFixed(0)}, max ${r.ms.max.toFixed(0)} ms; RSS ${r.rss.median.toFixed(1)} MiB`,
      ratios: standin
        ? [`time ${ratio(r.ms.median, op.ms.median)} oidc-provider, ${ratio(r.ms.median, mock.ms.median)} mock`, `RSS ${ratio(r.rss.median, op.rss.median)} oidc-provider, ${ratio(r.rss.median, mock.rss.median)} mock`]
        : [],
    });
  }
  return { rows, raw, note: 'ratios: Standin / peer, for the median time and the median RSS (lower is better for Standin)' };
}
