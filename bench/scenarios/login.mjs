// A whole login (authorize → POST credentials → code → token) and the SSO login of a second app
// (authorize with the session cookie → code → token), one after another for LOGIN_SECONDS each: logins
// per second and milliseconds per login. Peers: oidc-provider's devInteractions login (no password check)
// and SSO with its session cookie; oauth2-mock-server's authorize, which answers a code at once (no login
// step, no session), as its closest equivalent of both.
import { createHash, randomBytes } from 'node:crypto';
import { SECONDS, ratio, spread, startMockServer, startOidcProvider, startStandin } from '../lib/common.mjs';
import { APP2, REDIRECT, SECRET, basic, login, ssoLogin, writeKickstart } from '../lib/standin.mjs';

export const title = 'Login and SSO login, sequential';
const LOGIN_SECONDS = Math.min(3, SECONDS);

async function repeat(fn) {
  for (let i = 0; i < 3; i++) await fn();
  const samples = [];
  const end = performance.now() + LOGIN_SECONDS * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return { logins: samples.length, perSecond: Math.round((samples.length / LOGIN_SECONDS) * 10) / 10, ms: spread(samples) };
}

/** A cookie jar that ignores paths: enough for one host on loopback. */
function jar() {
  const cookies = new Map();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1);
        if (value === '' || attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
  };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** oidc-provider: /auth → its devInteractions login form → /auth/:uid → code → /token. */
async function oidcLogin(url, cookies, clientId) {
  const { verifier, challenge } = pkce();
  let location = `${url}/auth?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })}`;
  for (let hops = 0; !location.startsWith(REDIRECT); hops++) {
    if (hops > 10) throw new Error('oidc-provider login: too many redirects');
    let response = await fetch(location, { redirect: 'manual', headers: { cookie: cookies.header() } });
    cookies.take(response);
    if (response.status === 200 && location.includes('/interaction/')) {
      const page = await response.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      const form = prompt === 'login' ? { prompt, login: 'richard', password: 'password' } : { prompt };
      response = await fetch(location, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookies.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
      cookies.take(response);
    }
    await response.arrayBuffer();
    const next = response.headers.get('location');
    if (!next) throw new Error(`oidc-provider login: ${response.status} at ${location}`);
    location = new URL(next, url).href;
  }
  const code = new URL(location).searchParams.get('code');
  const token = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, SECRET) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`oidc-provider token ${token.status}: ${await token.text()}`);
  return token.json();
}

async function mockLogin(url) {
  const { verifier, challenge } = pkce();
  const response = await fetch(
    `${url}/authorize?${new URLSearchParams({ client_id: 'bench-app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })}`,
    { redirect: 'manual' },
  );
  await response.arrayBuffer();
  const code = new URL(response.headers.get('location')).searchParams.get('code');
  const token = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bench-app', SECRET) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`mock token ${token.status}`);
  return token.json();
}

export async function run({ work }) {
  const raw = {};
  const kickstart = writeKickstart(work);
  for (const hashing of ['standard', 'fast']) {
    const standin = await startStandin({ db: ':memory:', kickstart, passwordHashing: hashing });
    try {
      raw[`Standin full login (argon2id ${hashing})`] = await repeat(() => login(standin.url));
      if (hashing === 'standard') {
        const { sso } = await login(standin.url);
        raw['Standin SSO login of a second app'] = await repeat(() => ssoLogin(standin.url, sso, APP2));
      }
    } finally {
      await standin.stop();
    }
  }
  const oidc = await startOidcProvider();
  try {
    raw['oidc-provider 9 full login (devInteractions, no password check)'] = await repeat(() => oidcLogin(oidc.url, jar(), 'bench-app'));
    const cookies = jar();
    await oidcLogin(oidc.url, cookies, 'bench-app');
    raw['oidc-provider 9 SSO login of a second client'] = await repeat(() => oidcLogin(oidc.url, cookies, 'bench-app-2'));
  } finally {
    await oidc.stop();
  }
  const mock = await startMockServer();
  try {
    raw['oauth2-mock-server 8 authorize → code → token (no login, no session)'] = await repeat(() => mockLogin(mock.url));
  } finally {
    await mock.stop();
  }

  const op = raw['oidc-provider 9 full login (devInteractions, no password check)'];
  const opSso = raw['oidc-provider 9 SSO login of a second client'];
  const mock8 = raw['oauth2-mock-server 8 authorize → code → token (no login, no session)'];
  const rows = Object.entries(raw).map(([name, r]) => {
    const peer = name.includes('SSO') ? opSso : op;
    return {
      subject: name,
      figure: `${r.perSecond} /s`,
      detail: `${r.ms.median.toFixed(2)} ms median, p90 ${r.ms.p90.toFixed(2)} ms, ${r.logins} logins`,
      ratios: name.startsWith('Standin')
        ? [`${ratio(r.perSecond, peer.perSecond)} oidc-provider`, `${ratio(r.perSecond, mock8.perSecond)} mock`]
        : [],
    };
  });
  return {
    rows,
    raw,
    note: `logins per second, Standin / peer (higher is better); ${LOGIN_SECONDS} s each, one at a time; full login compared with oidc-provider's full login, SSO with its SSO`,
  };
}
