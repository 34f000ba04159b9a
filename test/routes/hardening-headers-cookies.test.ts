import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import { authorizeQuery, buildEmptyApp, hiddenFields, loginThroughForm, pkce, QUICKSTART_APP, QUICKSTART_SECRET } from '../helpers/fixtures.js';

// docs/hardening.md, "Headers" and "Cookies": every HTML page Standin serves, every token-bearing JSON answer, and
// every cookie Standin sets, with its attributes.

const REDIRECT = 'http://localhost:3000';
const richard = { loginId: 'richard@example.com', password: 'password' };

/** The default seed (FusionAuth's React quickstart), as a browser at Standin's URL reaches it. */
async function build(t: Test, options: ConfigInput = {}): Promise<StandinApp> {
  const app = await buildEmptyApp(t, { kickstart: undefined, ...options });
  // The Login API's refresh token (and its cookie) needs loginConfiguration.generateRefreshTokens.
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/application/${QUICKSTART_APP}`,
    headers: { authorization: app.seedReport.apiKey!, 'content-type': 'application/json' },
    payload: { application: { loginConfiguration: { generateRefreshTokens: true } } },
  });
  if (patched.statusCode !== 200) throw new Error(patched.body);
  return app;
}

function cookieOf(response: LightMyRequestResponse, name: string) {
  return response.cookies.find((cookie) => cookie.name === name) as
    | { name: string; value: string; path?: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; maxAge?: number; domain?: string }
    | undefined;
}

// The quickstart application's authorizedOriginURLs: the only page that may frame its hosted pages.
const QUICKSTART_ORIGIN = 'http://localhost:3000';

/**
 * The headers every HTML page has. `framedBy` is the page's frame-ancestors: `'none'` with X-Frame-Options DENY,
 * or, on a page of an application, its authorizedOriginURLs and no X-Frame-Options (http/frame-ancestors.ts).
 */
function assertHtmlPage(t: Test, name: string, response: LightMyRequestResponse, framedBy = "'none'"): void {
  t.match(response.headers['content-type'], /^text\/html/, `${name}: HTML`);
  t.equal(response.headers['cache-control'], 'no-store', `${name}: Cache-Control: no-store`);
  const csp = String(response.headers['content-security-policy']);
  t.ok(csp.split(';').includes(`frame-ancestors ${framedBy}`), `${name}: CSP frame-ancestors ${framedBy}`, { csp });
  t.match(csp, /script-src 'self'/, `${name}: CSP script-src 'self'`);
  t.match(csp, /object-src 'none'/, `${name}: CSP object-src 'none'`);
  t.notMatch(csp, /form-action/, `${name}: no form-action, which Chromium applies to the post-login redirect`);
  t.notMatch(csp, /upgrade-insecure-requests/, `${name}: no upgrade-insecure-requests on http://localhost`);
  t.equal(response.headers['x-frame-options'], framedBy === "'none'" ? 'DENY' : undefined, `${name}: X-Frame-Options`);
  t.equal(response.headers['x-content-type-options'], 'nosniff', `${name}: nosniff`);
  t.equal(response.headers['referrer-policy'], 'no-referrer', `${name}: Referrer-Policy: no-referrer`);
  t.notOk(response.headers['strict-transport-security'], `${name}: no HSTS pinning localhost`);
}

/** Logs in through /app/login as a browser does; returns each step's response. */
async function hostedBackendLogin(app: StandinApp) {
  const login = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`);
  const verifier = cookieOf(login, 'app.pkce_v')!.value;
  const page = await app.inject(String(login.headers.location));
  const posted = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    cookies: { 'standin.csrf': cookieOf(page, 'standin.csrf')!.value },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), ...richard }).toString(),
  });
  const back = new URL(String(posted.headers.location));
  const callback = await app.inject({ url: back.pathname + back.search, cookies: { 'app.pkce_v': verifier } });
  return { login, page, posted, callback };
}

t.test('every HTML page: helmet headers with the identity provider changes, and no-store', async (t) => {
  const app = await build(t);
  const pages: [string, LightMyRequestResponse][] = [];
  pages.push(['home', await app.inject('/')]);
  const query = authorizeQuery({ client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid offline_access', state: 's' });
  pages.push(['login page', await app.inject(`/oauth2/authorize?${query}`)]);
  const wrong = await loginThroughForm(
    app,
    { client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid', state: 's' },
    { loginId: 'richard@example.com', password: 'wrong' },
  );
  t.match(wrong.body, /Invalid login credentials/);
  const wrongAgain = await app.inject({ method: 'GET', url: `/oauth2/authorize?${query}` });
  pages.push(['login page again', wrongAgain]);
  pages.push(['authorize error page', await app.inject('/oauth2/authorize?client_id=not-a-client&response_type=code')]);
  pages.push([
    'logout error page',
    await app.inject(`/oauth2/logout?client_id=${QUICKSTART_APP}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`),
  ]);
  pages.push(['hosted backend error page', await app.inject('/app/login/not-a-client?redirect_uri=x')]);
  for (const [name, response] of pages) t.not(response.statusCode, 404, `${name} exists`);
  t.equal(pages.find(([name]) => name === 'authorize error page')![1].statusCode, 400);
  t.equal(pages.find(([name]) => name === 'logout error page')![1].statusCode, 400);
  const framable = new Set(['login page', 'login page again', 'logout error page']);
  for (const [name, response] of pages) assertHtmlPage(t, name, response, framable.has(name) ? QUICKSTART_ORIGIN : undefined);

  // The login error page: the form POST with a wrong password, re-rendered.
  const page = await app.inject(`/oauth2/authorize?${query}`);
  const failed = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    cookies: { 'standin.csrf': cookieOf(page, 'standin.csrf')!.value },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), loginId: 'richard@example.com', password: 'wrong' }).toString(),
  });
  t.match(failed.body, /Invalid login credentials/);
  assertHtmlPage(t, 'login error page', failed, QUICKSTART_ORIGIN);

  // The form_post page carries the code in its body.
  const formPost = await loginThroughForm(
    app,
    { client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid', state: 's', response_mode: 'form_post' },
    richard,
  );
  t.equal(formPost.status, 200);
  t.match(formPost.body, /name="code"/);
  const formPostPage = await app.inject({
    method: 'GET',
    url: `/oauth2/authorize?${authorizeQuery({ client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid', state: 's', response_mode: 'form_post' })}`,
    cookies: { 'fusionauth.sso': formPost.sso! },
  });
  t.match(formPostPage.body, /name="code"/, 'the SSO form_post page');
  assertHtmlPage(t, 'form_post page', formPostPage, QUICKSTART_ORIGIN);

  // The inspect page, in the test controls' route family.
  const inspect = await app.inject({ url: '/_standin/inspect', headers: { authorization: app.seedReport.apiKey! } });
  t.equal(inspect.statusCode, 200, 'the inspect page');
  assertHtmlPage(t, 'inspect page', inspect);
});

t.test('every token-bearing JSON answer has Cache-Control: no-store', async (t) => {
  const app = await build(t);
  const apiKey = app.seedReport.apiKey!;
  const json: [string, LightMyRequestResponse][] = [];
  const { verifier, challenge } = pkce();
  const login = await loginThroughForm(
    app,
    {
      client_id: QUICKSTART_APP,
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    richard,
  );
  const code = new URL(login.location!).searchParams.get('code')!;
  const form = (fields: Record<string, string>) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  const token = await app.inject({
    url: '/oauth2/token',
    ...form({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: QUICKSTART_APP,
      client_secret: QUICKSTART_SECRET,
    }),
  });
  t.equal(token.statusCode, 200);
  json.push(['/oauth2/token (authorization_code)', token]);
  const tokens = token.json();
  const refreshed = await app.inject({
    url: '/oauth2/token',
    ...form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: QUICKSTART_APP, client_secret: QUICKSTART_SECRET }),
  });
  t.equal(refreshed.statusCode, 200);
  json.push(['/oauth2/token (refresh_token)', refreshed]);
  json.push([
    '/oauth2/token (an error)',
    await app.inject({
      url: '/oauth2/token',
      ...form({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: QUICKSTART_APP, client_secret: QUICKSTART_SECRET }),
    }),
  ]);
  json.push(['/oauth2/userinfo', await app.inject({ url: '/oauth2/userinfo', headers: { authorization: `Bearer ${tokens.access_token}` } })]);
  json.push([
    '/oauth2/introspect',
    await app.inject({
      url: '/oauth2/introspect',
      ...form({ token: tokens.access_token, client_id: QUICKSTART_APP, client_secret: QUICKSTART_SECRET }),
    }),
  ]);
  const apiLogin = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { authorization: apiKey, 'content-type': 'application/json' },
    payload: { ...richard, applicationId: QUICKSTART_APP },
  });
  t.equal(apiLogin.statusCode, 200);
  json.push(['/api/login', apiLogin]);
  json.push([
    '/api/login (a failure)',
    await app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { authorization: apiKey, 'content-type': 'application/json' },
      payload: { loginId: 'x', password: 'y' },
    }),
  ]);
  const jwtRefresh = await app.inject({
    method: 'POST',
    url: '/api/jwt/refresh',
    headers: { 'content-type': 'application/json' },
    payload: { refreshToken: apiLogin.json().refreshToken },
  });
  t.equal(jwtRefresh.statusCode, 200);
  json.push(['/api/jwt/refresh', jwtRefresh]);

  const hosted = await hostedBackendLogin(app);
  t.equal(hosted.callback.statusCode, 302);
  json.push(['/app/login', hosted.login], ['/app/callback', hosted.callback]);
  const appCookies = Object.fromEntries(hosted.callback.cookies.map((cookie) => [cookie.name, cookie.value]));
  const appRefresh = await app.inject({ method: 'POST', url: `/app/refresh/${QUICKSTART_APP}`, cookies: { 'app.rt': appCookies['app.rt']! } });
  t.equal(appRefresh.statusCode, 200);
  json.push(['/app/refresh', appRefresh]);
  const me = await app.inject({ url: '/app/me', cookies: { 'app.at': appCookies['app.at']! } });
  t.equal(me.statusCode, 200);
  json.push(['/app/me', me]);

  for (const [name, response] of json) t.equal(response.headers['cache-control'], 'no-store', `${name}: no-store`);
});

interface Expected {
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict';
  path: string;
  /** Seconds, or undefined for a browser-session cookie. */
  maxAge: number | undefined;
  /** The hosted backend's cookies take the registrable domain (FusionAuth); the rest are host-only. */
  parentDomain?: true;
}

// FusionAuth's names and attributes (https://fusionauth.io/docs/apis/login,
// https://fusionauth.io/docs/apis/hosted-backend; docs/hardening.md).
const COOKIES: Record<string, Expected> = {
  'standin.csrf': { httpOnly: true, sameSite: 'Strict', path: '/oauth2', maxAge: undefined },
  'fusionauth.sso': { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: undefined },
  'fusionauth.sso (keep me signed in)': { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 3600 },
  access_token: { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: undefined },
  refresh_token: { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 30 * 24 * 3600 },
  // The login cookie: only Standin's own /app/callback reads it (docs/hardening-hosted-backend.md).
  'app.pkce_v': { httpOnly: true, sameSite: 'Lax', path: '/app', maxAge: 600 },
  'app.at': { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 3600, parentDomain: true },
  'app.rt': { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 30 * 24 * 3600, parentDomain: true },
  // FusionAuth's SDKs read these two from script: the id token's claims and the access token's expiry.
  'app.idt': { httpOnly: false, sameSite: 'Lax', path: '/', maxAge: 3600, parentDomain: true },
  'app.at_exp': { httpOnly: false, sameSite: 'Lax', path: '/', maxAge: 3600, parentDomain: true },
};

/** Every cookie Standin sets, from the flows that set them, keyed as in COOKIES. */
async function collectCookies(app: StandinApp) {
  const found = new Map<string, NonNullable<ReturnType<typeof cookieOf>>>();
  const take = (response: LightMyRequestResponse, name: string, key = name) => {
    const cookie = cookieOf(response, name);
    if (cookie) found.set(key, cookie);
  };
  const params = { client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid offline_access', state: 's' };
  take(await app.inject(`/oauth2/authorize?${authorizeQuery(params)}`), 'standin.csrf');
  const session = await loginThroughForm(app, params, richard);
  const remembered = await loginThroughForm(app, params, { ...richard, rememberDevice: true });
  for (const [result, key] of [
    [session, 'fusionauth.sso'],
    [remembered, 'fusionauth.sso (keep me signed in)'],
  ] as const) {
    const header = result.setCookie.find((line) => line.startsWith('fusionauth.sso='));
    if (header) found.set(key, parseSetCookie(header));
  }
  const apiLogin = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { authorization: app.seedReport.apiKey!, 'content-type': 'application/json' },
    payload: { ...richard, applicationId: QUICKSTART_APP },
  });
  take(apiLogin, 'access_token');
  take(apiLogin, 'refresh_token');
  const hosted = await hostedBackendLogin(app);
  take(hosted.login, 'app.pkce_v');
  for (const name of ['app.at', 'app.rt', 'app.idt', 'app.at_exp']) take(hosted.callback, name);
  return found;
}

function parseSetCookie(header: string) {
  const [pair = '', ...attributes] = header.split(/;\s*/);
  const cookie: NonNullable<ReturnType<typeof cookieOf>> = { name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) };
  for (const attribute of attributes) {
    const [key = '', value] = attribute.split('=');
    const lower = key.toLowerCase();
    if (lower === 'path') cookie.path = value!;
    if (lower === 'httponly') cookie.httpOnly = true;
    if (lower === 'secure') cookie.secure = true;
    if (lower === 'samesite') cookie.sameSite = value!;
    if (lower === 'max-age') cookie.maxAge = Number(value);
    if (lower === 'domain') cookie.domain = value!;
  }
  return cookie;
}

for (const mode of [
  { name: 'http://localhost (the default)', options: {}, secure: false, domain: undefined },
  { name: 'an https issuer behind a TLS proxy', options: { issuer: 'https://auth.example.com' }, secure: true, domain: 'example.com' },
]) {
  t.test(`every cookie's attributes, ${mode.name}`, async (t) => {
    const app = await build(t, mode.options);
    const found = await collectCookies(app);
    t.same([...found.keys()].sort(), Object.keys(COOKIES).sort(), 'every cookie Standin sets was seen');
    for (const [key, expected] of Object.entries(COOKIES)) {
      const cookie = found.get(key);
      if (!cookie) continue;
      t.equal(cookie.httpOnly === true, expected.httpOnly, `${key}: HttpOnly ${expected.httpOnly}`);
      t.equal(cookie.sameSite, expected.sameSite, `${key}: SameSite=${expected.sameSite}`);
      t.equal(cookie.path, expected.path, `${key}: Path=${expected.path}`);
      t.equal(cookie.maxAge, expected.maxAge, `${key}: Max-Age ${expected.maxAge ?? 'none (browser session)'}`);
      t.equal(cookie.secure === true, mode.secure, `${key}: Secure ${mode.secure}`);
      t.equal(
        cookie.domain,
        expected.parentDomain ? mode.domain : undefined,
        `${key}: Domain ${expected.parentDomain ? (mode.domain ?? 'none') : 'none (host-only)'}`,
      );
    }
  });
}

t.test('Secure follows how the browser reached Standin, one rule for every cookie', async (t) => {
  const login = (app: StandinApp, headers: Record<string, string>) =>
    app.inject({
      url: `/oauth2/authorize?${authorizeQuery({ client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid', state: 's' })}`,
      headers,
    });
  const https = await build(t, { issuer: 'https://auth.example.com' });
  t.equal(cookieOf(await login(https, { host: 'auth.example.com' }), 'standin.csrf')!.secure, true, 'at the https issuer host');
  t.notOk(
    cookieOf(await login(https, { host: 'standin:9011' }), 'standin.csrf')!.secure,
    'at another, plain-http name: not Secure, or the browser would drop it',
  );
  t.notOk(
    cookieOf(await login(https, { host: 'standin:9011', 'x-forwarded-proto': 'https' }), 'standin.csrf')!.secure,
    'X-Forwarded-Proto from an untrusted sender is ignored',
  );
  const proxied = await build(t, { trustProxy: true });
  t.equal(
    cookieOf(await login(proxied, { host: 'localhost:9011', 'x-forwarded-proto': 'https' }), 'standin.csrf')!.secure,
    true,
    'X-Forwarded-Proto: https from a trusted proxy',
  );
});
