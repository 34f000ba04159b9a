// Token throughput and latency at concurrency 1 and 10 (autocannon, SECONDS each): Standin's
// refresh_token grant and /api/jwt/refresh under Reusable and OneTimeUse, each peer's refresh_token grant,
// beside the limits (Fastify's empty route, jose signing) measured in the same run.
//
// OneTimeUse: every answer carries the next value of the token, so each request must present the value
// the previous use of its chain returned. The bench keeps a queue of 2c+2 token chains (each from its own
// SSO login); a request takes the head of the queue and its answer puts the new value at the tail.
import { SECONDS, checkLoad, load, ratio, rssMiB, startMockServer, startOidcProvider, startStandin } from '../lib/common.mjs';
import { APP, SECRET, basic, login, setPolicy, ssoLogin, writeKickstart } from '../lib/standin.mjs';
import { measureLimits } from './limits.mjs';

export const title = `Token throughput and latency (${SECONDS} s per run)`;
const FORM = 'application/x-www-form-urlencoded';
export const OIDC_PROVIDER = 'oidc-provider 9';
export const OIDC_PROVIDER_JWT = 'oidc-provider 9, JWT access tokens';
const grantBody = (token) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;
const jsonBody = (token) => JSON.stringify({ refreshToken: token });

/** A load run in which each request presents the value the previous use of its chain returned. */
async function chained({ url, path, headers, connections, pool, body, next }) {
  const queue = [...pool];
  return load({
    url,
    connections,
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

export async function run({ work, shared }) {
  const limits = (shared.limits ??= await measureLimits());
  const raw = { standin: {}, peers: {}, limits };
  const standin = await startStandin({ db: ':memory:', kickstart: writeKickstart(work) });
  try {
    const { refreshToken, sso } = await login(standin.url);
    raw.standin.rssAtRestMiB = rssMiB(standin.pid);
    const grantHeaders = { 'content-type': FORM, authorization: basic(APP, SECRET) };
    const jsonHeaders = { 'content-type': 'application/json' };
    for (const c of [1, 10]) {
      raw.standin[`grant Reusable c${c}`] = checkLoad(
        'grant Reusable',
        await load({ url: `${standin.url}/oauth2/token`, connections: c, headers: grantHeaders, body: grantBody(refreshToken) }),
      );
      raw.standin[`/api/jwt/refresh Reusable c${c}`] = checkLoad(
        'jwt refresh Reusable',
        await load({ url: `${standin.url}/api/jwt/refresh`, connections: c, headers: jsonHeaders, body: jsonBody(refreshToken) }),
      );
    }
    await setPolicy(standin.url, 'OneTimeUse');
    for (const c of [1, 10]) {
      const pool = async () => Promise.all(Array.from({ length: 2 * c + 2 }, () => ssoLogin(standin.url, sso, APP)));
      raw.standin[`grant OneTimeUse c${c}`] = checkLoad(
        'grant OneTimeUse',
        await chained({
          url: standin.url,
          path: '/oauth2/token',
          headers: grantHeaders,
          connections: c,
          pool: await pool(),
          body: grantBody,
          next: (r) => r.refresh_token,
        }),
      );
      raw.standin[`/api/jwt/refresh OneTimeUse c${c}`] = checkLoad(
        'jwt refresh OneTimeUse',
        await chained({
          url: standin.url,
          path: '/api/jwt/refresh',
          headers: jsonHeaders,
          connections: c,
          pool: await pool(),
          body: jsonBody,
          next: (r) => r.refreshToken,
        }),
      );
    }
    raw.standin.rssAfterLoadMiB = rssMiB(standin.pid);
  } finally {
    await standin.stop();
  }

  // oidc-provider as configured by default (opaque access tokens: one signature per refresh, the id token), then
  // with RS256 JWT access tokens as FusionAuth's (two signatures per refresh, as Standin's).
  for (const [name, accessTokenFormat] of [
    [OIDC_PROVIDER, 'opaque'],
    [OIDC_PROVIDER_JWT, 'jwt'],
  ]) {
    const oidc = await startOidcProvider({ accessTokenFormat });
    try {
      const { refresh_token: token } = await (await fetch(`${oidc.url}/bench/mint`, { method: 'POST' })).json();
      const headers = { 'content-type': FORM, authorization: basic('bench-app', SECRET) };
      for (const c of [1, 10])
        raw.peers[`${name} c${c}`] = checkLoad(name, await load({ url: `${oidc.url}/token`, connections: c, headers, body: grantBody(token) }));
      raw.peers[`${name} RSS after load MiB`] = rssMiB(oidc.pid);
    } finally {
      await oidc.stop();
    }
  }
  const mock = await startMockServer();
  try {
    const headers = { 'content-type': FORM, authorization: basic('bench-app', SECRET) };
    for (const c of [1, 10])
      raw.peers[`oauth2-mock-server 8 c${c}`] = checkLoad(
        'oauth2-mock-server',
        await load({ url: `${mock.url}/token`, connections: c, headers, body: grantBody('any-value') }),
      );
    raw.peers['oauth2-mock-server 8 RSS after load MiB'] = rssMiB(mock.pid);
  } finally {
    await mock.stop();
  }

  const rows = [];
  const describe = (r) => `mean ${r.mean} ms, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx + r.errors ? `, ${r.non2xx + r.errors} failed` : ''}`;
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
        `${ratio(r.perSecond, raw.peers[`${OIDC_PROVIDER} c${c}`].perSecond)} oidc-provider`,
        `${ratio(r.perSecond, raw.peers[`${OIDC_PROVIDER_JWT} c${c}`].perSecond)} oidc-provider with JWT access tokens`,
        `${ratio(r.perSecond, raw.peers[`oauth2-mock-server 8 c${c}`].perSecond)} mock`,
        `${ratio(r.perSecond, limits.empty[c].perSecond)} empty route`,
        `${ratio(r.perSecond * signatures, limits.sign.RS256)} RS256 signing (${signatures}/req)`,
        ...(name.startsWith('grant') && c === 1 ? [`${ratio(r.perSecond, limits.twoSignatures.perSecond)} two-signature floor`] : []),
      ],
    });
  }
  for (const [name, r] of Object.entries(raw.peers)) {
    if (typeof r !== 'object') continue;
    rows.push({
      subject: `${name.replace(/ c\d+$/, '')} refresh_token grant c${r.connections}`,
      figure: `${r.perSecond} req/s`,
      detail: describe(r),
      ratios: [`${ratio(r.perSecond, limits.empty[r.connections].perSecond)} empty route`],
    });
  }
  rows.push({
    subject: 'RSS: Standin at rest (default seed, :memory:) / after load',
    figure: `${raw.standin.rssAtRestMiB} / ${raw.standin.rssAfterLoadMiB} MiB`,
    detail: `oidc-provider ${raw.peers[`${OIDC_PROVIDER} RSS after load MiB`]}, mock ${raw.peers['oauth2-mock-server 8 RSS after load MiB']} MiB after load`,
    ratios: [
      `${ratio(raw.standin.rssAfterLoadMiB, raw.peers[`${OIDC_PROVIDER} RSS after load MiB`])} oidc-provider`,
      `${ratio(raw.standin.rssAfterLoadMiB, raw.peers['oauth2-mock-server 8 RSS after load MiB'])} mock`,
    ],
  });
  return {
    rows,
    raw,
    note: "ratios: Standin req/s / peer or limit req/s at the same concurrency (higher is better); RS256 signing: the share of one core-bound jose signer the requests' signatures would use",
  };
}
