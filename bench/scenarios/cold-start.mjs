// Cold start: process spawn to the first 200 on the health or discovery endpoint, RUNS runs each, and the
// resident memory right after that 200 (memory at rest). The subjects take turns (one start of each, then
// the next round), so that a burst of load on a shared machine falls on all of them alike; the figure that
// matters is the ratio to the bare Node `http` server measured in the same rounds.
// BENCH_COLD_ONLY=<regular expression> keeps the subjects whose name matches (the bare Node and the two Fastify
// servers always run). Each start's minor page faults to its first 200 are counted too, and this machine's cost of
// one (firstTouchMicros): where a fault is slow, memory touched is time, and the restart row moves with the machine.
import { join } from 'node:path';
import {
  firstTouchMicros,
  minorFaults,
  ratio,
  rssMiB,
  spread,
  startBareNode,
  startFastifyEmpty,
  startMockServer,
  startOidcProvider,
  startStandin,
} from '../lib/common.mjs';
import { buildBundledFastify, startBundledFastify } from '../lib/bundled-fastify.mjs';
import { writeKickstart } from '../lib/standin.mjs';

export const title = 'Cold start (spawn → first 200) and memory at rest';
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);
const ONLY = process.env.BENCH_COLD_ONLY ? new RegExp(process.env.BENCH_COLD_ONLY) : undefined;
export const BARE = 'bare Node http server';
export const RESTART = 'Standin, default seed, existing file DB (restart)';
export const MEMORY = 'Standin, default seed, :memory:';
// Any Fastify application pays this much: the framework's own start, from node_modules, with two routes.
export const FASTIFY = 'Fastify 5, two empty routes (the framework alone)';
// The same server started as Standin is: one bundle run through the V8 code cache (lib/bundled-fastify.mjs).
export const FASTIFY_BUNDLED = 'Fastify 5, two empty routes, bundled and code-cached as Standin is';
const REFERENCES = [BARE, FASTIFY, FASTIFY_BUNDLED];
const DISCOVERY = '/.well-known/openid-configuration';

export async function run({ work, shared }) {
  const kickstart = writeKickstart(work, { apps: 10, users: 100 });
  const existing = join(work, 'cold-existing', 'standin.db');
  // Seeded before the first restart: the first 200 on /api/status comes before the default seed is committed, and a
  // stop then rolls it back (docs/hardening.md, "Shutdown"); discovery waits for it.
  await (await startStandin({ db: existing, readyPath: DISCOVERY })).stop();
  const bundledFastify = await buildBundledFastify(work);
  const all = {
    [BARE]: () => startBareNode(),
    [FASTIFY]: () => startFastifyEmpty(),
    [FASTIFY_BUNDLED]: () => startBundledFastify(bundledFastify),
    'Standin, default seed, new file DB (seeds: keys, 2 argon2id hashes)': (i) => startStandin({ db: join(work, `cold-new-${i}`, 'standin.db') }),
    [RESTART]: () => startStandin({ db: existing }),
    [MEMORY]: () => startStandin({ db: ':memory:' }),
    // Time to a first useful answer: discovery has a schema (the first request to one loads the validator) and,
    // on a new database, waits for the default seed; the peers are timed to the same answer.
    [`${RESTART}, to the first discovery answer`]: () => startStandin({ db: existing, readyPath: DISCOVERY }),
    [`${MEMORY}, to the first discovery answer`]: () => startStandin({ db: ':memory:', readyPath: DISCOVERY }),
    // The routes of the API and of the hosted pages are built by the first request under their paths
    // (src/route-families.ts): the time to a first answer from each, after a restart.
    [`${RESTART}, to the first answer of the API family (GET /api/jwt/public-key)`]: () =>
      startStandin({ db: existing, readyPath: '/api/jwt/public-key' }),
    [`${RESTART}, to the first hosted page (GET /)`]: () => startStandin({ db: existing, readyPath: '/' }),
    'Standin, kickstart 10 apps + 100 users, :memory:, --password-hashing fast': () =>
      startStandin({ db: ':memory:', kickstart, passwordHashing: 'fast' }),
    'oidc-provider 9': () => startOidcProvider(),
    'oauth2-mock-server 8': () => startMockServer(),
  };
  const subjects = Object.entries(all).filter(([name]) => REFERENCES.includes(name) || !ONLY || ONLY.test(name));
  const samples = Object.fromEntries(subjects.map(([name]) => [name, { ms: [], rss: [], faults: [] }]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, start] of subjects) {
      const server = await start(i);
      samples[name].ms.push(server.ms);
      samples[name].rss.push(rssMiB(server.pid));
      samples[name].faults.push(minorFaults(server.pid));
      await server.stop();
    }
  }
  const raw = {};
  for (const [name, { ms, rss, faults }] of Object.entries(samples))
    raw[name] = { ms: spread(ms), rss: spread(rss), faults: spread(faults), samples: ms.map((s) => Math.round(s)) };
  const faultMicros = firstTouchMicros();
  const bare = raw[BARE];
  const op = raw['oidc-provider 9'];
  const mock = raw['oauth2-mock-server 8'];
  const rows = [];
  for (const [name, r] of Object.entries(raw)) {
    const peers = (figure) => [
      `${ratio(r[figure].median, bare[figure].median)} bare Node`,
      ...(op && name !== 'oidc-provider 9' ? [`${ratio(r[figure].median, op[figure].median)} oidc-provider`] : []),
      ...(mock && name !== 'oauth2-mock-server 8' ? [`${ratio(r[figure].median, mock[figure].median)} mock`] : []),
    ];
    rows.push({
      subject: name,
      figure: `${r.ms.median.toFixed(0)} ms`,
      detail: `min ${r.ms.min.toFixed(0)}, max ${r.ms.max.toFixed(0)} ms; RSS ${r.rss.median.toFixed(1)} MiB; ${Math.round(r.faults.median)} minor faults`,
      ratios: name === BARE ? [] : [`time ${peers('ms').join(', ')}`, `RSS ${peers('rss').join(', ')}`],
    });
  }
  shared.coldStart = raw;
  return {
    rows,
    raw,
    note: `ratios: subject / bare Node or peer, for the median time and the median RSS (lower is better for Standin); ${RUNS} rounds, subjects in turn. ${faultNote(raw, faultMicros)}`,
  };
}

/**
 * What the restart's extra page faults cost on this machine: the restart's median faults less bare Node's, at this
 * machine's first touch of a page, against the gap between their median times.
 */
function faultNote(raw, faultMicros) {
  const restart = raw[RESTART];
  const bare = raw[BARE];
  const touch = `A first touch of a 4 KiB page costs ${faultMicros.toFixed(2)} µs here`;
  if (!restart) return touch;
  const extra = Math.round(restart.faults.median - bare.faults.median);
  const gap = restart.ms.median - bare.ms.median;
  return `${touch}; the restart's ${extra} minor faults more than bare Node's are ≈ ${((extra * faultMicros) / 1000).toFixed(0)} ms of the ${gap.toFixed(0)} ms between their medians`;
}
