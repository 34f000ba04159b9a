// Token throughput and latency at concurrency 1 and 10 (autocannon): Standin's refresh_token grant and
// /api/jwt/refresh under Reusable and OneTimeUse, each peer's refresh_token grant, the two-signature floor and one
// core's RS256 signing (jose, in this process).
//
// Measured in turns, as cold-start takes its starts: every server runs from the start, and ROUNDS rounds each give
// every measurement a slice of SECONDS / ROUNDS seconds, a subject's slice next to its peers'. A burst of load from
// elsewhere on a shared machine then falls on both sides of a ratio alike: each ratio is the median of its rounds'
// ratios, each subject's figure the sum of its slices.
//
// OneTimeUse runs on the second application (the first stays Reusable), so that a round measures both policies. Every
// answer carries the next value of the token, so each request must present the value the previous use of its chain
// returned: a slice takes a new queue of 2c+2 token chains (each from its own SSO login); a request takes the head of
// the queue and its answer puts the new value at the tail.
import { availableParallelism } from 'node:os';
import {
  SECONDS,
  checkLoad,
  load,
  median,
  ratio,
  rssMiB,
  startMockServer,
  startOidcProvider,
  startStandin,
  startTwoSignatures,
  threadCpu,
} from '../lib/common.mjs';
import { APP, APP2, SECRET, basic, login, setPolicy, ssoLogin, writeKickstart } from '../lib/standin.mjs';
import { joseSigner } from './limits.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SLICE = Math.max(1, SECONDS / ROUNDS);
// Reusable refresh tokens per subject, presented in turn, each from its own login (a grant of its own for
// oidc-provider, whose in-memory adapter walks every access token issued under a grant each time it issues another:
// one token presented thousands of times measures that walk, not the grant).
const TOKENS = 64;
export const title = `Token throughput and latency (${ROUNDS} rounds of ${SLICE} s per subject, in turns)`;
const FORM = 'application/x-www-form-urlencoded';
export const OIDC_PROVIDER = 'oidc-provider 9';
export const OIDC_PROVIDER_JWT = 'oidc-provider 9, JWT access tokens';
export const MOCK = 'oauth2-mock-server 8';
export const FLOOR = 'two-signature floor';
export const RS256 = 'jose RS256 signing';
const grantBody = (token) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;
const jsonBody = (token) => JSON.stringify({ refreshToken: token });

/** A load run whose requests present the values of `pool` in turn (Reusable tokens: each stays valid). */
function rotating({ url, path, headers, connections, pool, body }) {
  let next = 0;
  return load({
    url,
    connections,
    seconds: SLICE,
    requests: [{ method: 'POST', path, headers, setupRequest: (request) => ({ ...request, body: body(pool[next++ % pool.length]) }) }],
  });
}

/** A load run in which each request presents the value the previous use of its chain returned. */
async function chained({ url, path, headers, connections, pool, body, next }) {
  const queue = [...pool];
  return load({
    url,
    connections,
    seconds: SLICE,
    requests: [
      {
        method: 'POST',
        path,
        headers,
        setupRequest: (request) => ({ ...request, body: body(queue.shift()) }),
        onResponse: (status, text) => {
          if (status === 200) queue.push(next(JSON.parse(text)));
        },
      },
    ],
  });
}

const CORES = availableParallelism();

/** The CPU seconds used since `before`: the server's event loop and its other threads, and this process (the load). */
function cpuSince(before, pid) {
  const threads = threadCpu(pid);
  const load = process.cpuUsage(before.load);
  return {
    eventLoop: threads.main - before.threads.main,
    otherThreads: threads.others - before.threads.others,
    load: (load.user + load.system) / 1e6,
  };
}

/**
 * The CPU a request cost over `slices`, in µs: the server's event loop, its other threads (libuv's pool signs
 * there), and autocannon in this process, which shares the machine's cores; and the most requests a second those
 * cores could answer at that cost, every core busy with nothing else.
 */
function cpuPerRequest(slices, requests) {
  const us = (part) => Math.round((slices.reduce((sum, s) => sum + s.cpu[part], 0) / requests) * 1e6);
  const cost = { eventLoopUs: us('eventLoop'), otherThreadsUs: us('otherThreads'), loadUs: us('load') };
  return { ...cost, ceiling: Math.round((CORES * 1e6) / (cost.eventLoopUs + cost.otherThreadsUs + cost.loadUs)) };
}

/** One subject's slices as one run: requests and seconds summed, latency means weighted, p50 and p99 the slices' median. */
function combined(slices) {
  const requests = slices.reduce((sum, s) => sum + s.requests, 0);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  return {
    connections: slices[0].connections,
    seconds,
    requests,
    perSecond: Math.round((requests / seconds) * 10) / 10,
    mean: Math.round((slices.reduce((sum, s) => sum + s.mean * s.requests, 0) / requests) * 100) / 100,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    non2xx: slices.reduce((sum, s) => sum + s.non2xx, 0),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    slices: slices.map((s) => s.perSecond),
    ...(slices[0].cpu ? { cpu: cpuPerRequest(slices, requests) } : {}),
  };
}

/** The median over the rounds of a's rate / b's rate in the same round. */
function roundRatio(a, b) {
  if (!a || !b) return null;
  return Math.round(median(a.slices.map((rate, i) => rate / b.slices[i])) * 100) / 100;
}

export async function run({ work, shared }) {
  // The empty route's rates, when the limits scenario ran before this one: tokens alone does not wait for them.
  const empty = shared.limits?.empty ?? {};
  const servers = [];
  const start = async (starting) => {
    const server = await starting;
    servers.push(server);
    return server;
  };
  const slices = {};
  const raw = { rounds: ROUNDS, sliceSeconds: SLICE, standin: {}, peers: {}, limits: {}, ratios: {} };
  try {
    const standin = await start(startStandin({ db: ':memory:', kickstart: writeKickstart(work) }));
    const oidc = await start(startOidcProvider());
    const oidcJwt = await start(startOidcProvider({ accessTokenFormat: 'jwt' }));
    const mock = await start(startMockServer());
    const floor = await start(startTwoSignatures());
    const signRS256 = await joseSigner('RS256');

    const { refreshToken, sso } = await login(standin.url);
    raw.standin.rssAtRestMiB = rssMiB(standin.pid);
    const standinTokens = [refreshToken, ...(await Promise.all(Array.from({ length: TOKENS - 1 }, () => ssoLogin(standin.url, sso, APP))))];
    await setPolicy(standin.url, 'OneTimeUse', APP2);
    const mint = async (server) => (await (await fetch(`${server.url}/bench/mint`, { method: 'POST' })).json()).refresh_token;
    const mintTokens = (server) => Promise.all(Array.from({ length: TOKENS }, () => mint(server)));
    const oidcTokens = await mintTokens(oidc);
    const oidcJwtTokens = await mintTokens(oidcJwt);
    const standinGrant = (id) => ({ 'content-type': FORM, authorization: basic(id, SECRET) });
    const peerGrant = { 'content-type': FORM, authorization: basic('bench-app', SECRET) };
    const json = { 'content-type': 'application/json' };
    const chains = (c) => Promise.all(Array.from({ length: 2 * c + 2 }, () => ssoLogin(standin.url, sso, APP2)));

    // In each round's order: a subject beside what it is compared with. `server` is the process whose CPU time a
    // slice counts; `prepare` makes what a slice presents before that count starts.
    const measurements = (c) => [
      {
        group: 'standin',
        name: `grant Reusable c${c}`,
        server: standin,
        measure: () =>
          rotating({ url: standin.url, path: '/oauth2/token', connections: c, headers: standinGrant(APP), pool: standinTokens, body: grantBody }),
      },
      {
        group: 'peers',
        name: `${OIDC_PROVIDER} c${c}`,
        server: oidc,
        measure: () => rotating({ url: oidc.url, path: '/token', connections: c, headers: peerGrant, pool: oidcTokens, body: grantBody }),
      },
      {
        group: 'peers',
        name: `${OIDC_PROVIDER_JWT} c${c}`,
        server: oidcJwt,
        measure: () => rotating({ url: oidcJwt.url, path: '/token', connections: c, headers: peerGrant, pool: oidcJwtTokens, body: grantBody }),
      },
      ...(c === 1
        ? [
            {
              group: 'limits',
              name: FLOOR,
              server: floor,
              measure: () =>
                load({ url: `${floor.url}/token`, connections: 1, seconds: SLICE, headers: { 'content-type': FORM }, body: grantBody('x') }),
            },
          ]
        : []),
      {
        group: 'standin',
        name: `/api/jwt/refresh Reusable c${c}`,
        server: standin,
        measure: () => rotating({ url: standin.url, path: '/api/jwt/refresh', connections: c, headers: json, pool: standinTokens, body: jsonBody }),
      },
      ...(c === 10 ? [{ group: 'limits', name: RS256, measure: async () => ({ perSecond: await signRS256(SLICE) }) }] : []),
      {
        group: 'standin',
        name: `grant OneTimeUse c${c}`,
        server: standin,
        prepare: () => chains(c),
        measure: (pool) =>
          chained({
            url: standin.url,
            path: '/oauth2/token',
            headers: standinGrant(APP2),
            connections: c,
            pool,
            body: grantBody,
            next: (r) => r.refresh_token,
          }),
      },
      {
        group: 'standin',
        name: `/api/jwt/refresh OneTimeUse c${c}`,
        server: standin,
        prepare: () => chains(c),
        measure: (pool) =>
          chained({ url: standin.url, path: '/api/jwt/refresh', headers: json, connections: c, pool, body: jsonBody, next: (r) => r.refreshToken }),
      },
      {
        group: 'peers',
        name: `${MOCK} c${c}`,
        server: mock,
        measure: () => load({ url: `${mock.url}/token`, connections: c, seconds: SLICE, headers: peerGrant, body: grantBody('any-value') }),
      },
    ];
    const all = [...measurements(1), ...measurements(10)];
    /** One slice of a measurement, with the CPU time its server and this process (the load generator) used. */
    const slice = async ({ server, prepare, measure }) => {
      const prepared = await prepare?.();
      const before = server && { threads: threadCpu(server.pid), load: process.cpuUsage() };
      const result = await measure(prepared);
      if (before) result.cpu = cpuSince(before, server.pid);
      return result;
    };
    // A first slice of each, not counted, so that every subject's code is compiled before round one.
    for (const measurement of all) await slice(measurement);
    for (let round = 0; round < ROUNDS; round++) {
      for (const measurement of all) {
        const { group, name } = measurement;
        const result = await slice(measurement);
        (slices[group] ??= {})[name] ??= [];
        slices[group][name].push(result.requests === undefined ? result : checkLoad(name, result));
      }
    }
    for (const [group, byName] of Object.entries(slices))
      for (const [name, list] of Object.entries(byName))
        raw[group][name] =
          name === RS256 ? { perSecond: median(list.map((s) => s.perSecond)), slices: list.map((s) => s.perSecond) } : combined(list);
    raw.standin.rssAfterLoadMiB = rssMiB(standin.pid);
    for (const [name, server] of [
      [OIDC_PROVIDER, oidc],
      [MOCK, mock],
    ])
      raw.peers[`${name} RSS after load MiB`] = rssMiB(server.pid);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }

  // The target figures (bench/run.mjs), each the median of its rounds' ratios.
  const grant = (c) => raw.standin[`grant Reusable c${c}`];
  raw.ratios = {
    'grant c1 / oidc-provider': roundRatio(grant(1), raw.peers[`${OIDC_PROVIDER} c1`]),
    'grant c10 / oidc-provider': roundRatio(grant(10), raw.peers[`${OIDC_PROVIDER} c10`]),
    'grant c1 / oidc-provider with JWT access tokens': roundRatio(grant(1), raw.peers[`${OIDC_PROVIDER_JWT} c1`]),
    'grant c10 / oidc-provider with JWT access tokens': roundRatio(grant(10), raw.peers[`${OIDC_PROVIDER_JWT} c10`]),
    'grant c1 / two-signature floor': roundRatio(grant(1), raw.limits[FLOOR]),
    'oidc-provider c1 / two-signature floor': roundRatio(raw.peers[`${OIDC_PROVIDER} c1`], raw.limits[FLOOR]),
    '/api/jwt/refresh c10 / RS256 signing': roundRatio(raw.standin['/api/jwt/refresh Reusable c10'], raw.limits[RS256]),
    // What the cores allow at the CPU a request cost in this run (cpuPerRequest), against what the targets compare with.
    'grant c10 ceiling / oidc-provider': ratio(grant(10).cpu.ceiling, raw.peers[`${OIDC_PROVIDER} c10`].perSecond),
    '/api/jwt/refresh c10 ceiling / RS256 signing': ratio(raw.standin['/api/jwt/refresh Reusable c10'].cpu.ceiling, raw.limits[RS256].perSecond),
  };

  const rows = [];
  const cpu = ({ cpu: c }) =>
    c
      ? `; CPU a request: event loop ${c.eventLoopUs} µs, other threads ${c.otherThreadsUs} µs, load generator ${c.loadUs} µs (${CORES} cores: at most ${c.ceiling} req/s)`
      : '';
  const describe = (r) =>
    `mean ${r.mean} ms, p50 ${r.p50} ms, p99 ${r.p99} ms (the rounds' median); rounds ${r.slices.join(', ')} req/s${r.non2xx + r.errors ? `, ${r.non2xx + r.errors} failed` : ''}${cpu(r)}`;
  const emptyRoute = (r) => (empty[r.connections] ? [`${ratio(r.perSecond, empty[r.connections].perSecond)} empty route`] : []);
  for (const [name, r] of Object.entries(raw.standin)) {
    if (typeof r !== 'object') continue;
    const c = r.connections;
    // The grant signs an access token and an id token (scope openid); /api/jwt/refresh signs an access token.
    const signatures = name.startsWith('grant') ? 2 : 1;
    rows.push({
      subject: `Standin ${name}`,
      figure: `${r.perSecond} req/s`,
      detail: describe(r),
      ratios: [
        `${roundRatio(r, raw.peers[`${OIDC_PROVIDER} c${c}`])} oidc-provider`,
        `${roundRatio(r, raw.peers[`${OIDC_PROVIDER_JWT} c${c}`])} oidc-provider with JWT access tokens`,
        `${roundRatio(r, raw.peers[`${MOCK} c${c}`])} mock`,
        ...emptyRoute(r),
        `${roundRatio({ slices: r.slices.map((rate) => rate * signatures) }, raw.limits[RS256])} RS256 signing (${signatures}/req)`,
        ...(name.startsWith('grant') && c === 1 ? [`${roundRatio(r, raw.limits[FLOOR])} two-signature floor`] : []),
      ],
    });
  }
  for (const [name, r] of Object.entries(raw.peers)) {
    if (typeof r !== 'object') continue;
    rows.push({
      subject: `${name.replace(/ c\d+$/, '')} refresh_token grant c${r.connections}`,
      figure: `${r.perSecond} req/s`,
      detail: describe(r),
      ratios: emptyRoute(r),
    });
  }
  rows.push({
    subject: 'bare Node, two RS256 tokens per refresh_token grant (the floor), c1',
    figure: `${raw.limits[FLOOR].perSecond} req/s`,
    detail: describe(raw.limits[FLOOR]),
    ratios: [],
  });
  rows.push({
    subject: 'jose RS256 sign, one process, sequential',
    figure: `${raw.limits[RS256].perSecond} ops/s`,
    detail: `the rounds' median; rounds ${raw.limits[RS256].slices.join(', ')} ops/s`,
    ratios: [],
  });
  rows.push({
    subject: 'RSS: Standin at rest (default seed, :memory:) / after load',
    figure: `${raw.standin.rssAtRestMiB} / ${raw.standin.rssAfterLoadMiB} MiB`,
    detail: `oidc-provider ${raw.peers[`${OIDC_PROVIDER} RSS after load MiB`]}, mock ${raw.peers[`${MOCK} RSS after load MiB`]} MiB after load`,
    ratios: [
      `${ratio(raw.standin.rssAfterLoadMiB, raw.peers[`${OIDC_PROVIDER} RSS after load MiB`])} oidc-provider`,
      `${ratio(raw.standin.rssAfterLoadMiB, raw.peers[`${MOCK} RSS after load MiB`])} mock`,
    ],
  });
  return {
    rows,
    raw,
    note: "ratios: the median over the rounds of Standin's req/s / the peer's or limit's in the same round (higher is better); RS256 signing: the share of one core-bound jose signer the requests' signatures would use; empty route: against the limits scenario's run, when it ran before; CPU a request: the server's threads (from /proc) and this process's (autocannon's) over the slices; at most: the machine's cores divided by that CPU",
  };
}
