import t from 'tap';
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import type { StandinApp } from '../../src/app.js';
import {
  accessToken,
  apiHeaders,
  buildMintedTokenApp,
  FORUMS_APP,
  idToken,
  insertRefreshToken,
  insertSsoSession,
  RICHARD_ID,
  STORE_APP,
  TENANT_ID,
} from '../helpers/fixtures.js';

const SSO = 'fusionauth.sso';

function logout(app: StandinApp, query: Record<string, string>, cookie?: string) {
  return app.inject({ url: `/oauth2/logout?${new URLSearchParams(query)}`, ...(cookie ? { cookies: { [SSO]: cookie } } : {}) });
}

/**
 * Where the answer sends the browser: a 302's Location, or the URL the front-channel logout page moves on to once
 * it has loaded the other applications' logout URLs.
 */
function sentTo(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode === 302) return response.headers.location;
  const refresh = response.statusCode === 200 ? /<meta http-equiv="refresh" content="\d+; url=([^"]*)">/.exec(response.body) : null;
  return refresh?.[1]?.replace(/&(amp|lt|gt|quot|#39);/g, (_all, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

/** The response cleared the SSO cookie: Set-Cookie with an empty value, an expiry in the past, HttpOnly, Path=/. */
function assertCookieCleared(t: Test, response: LightMyRequestResponse): void {
  const cleared = response.cookies.find((cookie) => cookie.name === SSO);
  t.ok(cleared, 'sets fusionauth.sso');
  t.equal(cleared?.value, '');
  t.ok(cleared?.expires && cleared.expires.getTime() < Date.now(), 'expires in the past');
  t.equal(cleared?.httpOnly, true);
  t.equal(cleared?.path, '/');
}

/** An HTML error page, no redirect, nothing changed. */
function assertErrorPage(t: Test, response: LightMyRequestResponse, reason: string): void {
  t.equal(response.statusCode, 400);
  t.match(response.headers['content-type'], /^text\/html/);
  t.notOk(response.headers.location, 'no Location');
  t.match(response.body, reason);
  t.notOk(
    response.cookies.some((cookie) => cookie.name === SSO),
    'the SSO cookie is left alone',
  );
}

t.test('logout ends the SSO session, clears the cookie, keeps refresh tokens', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { id, cookie } = insertSsoSession(app, RICHARD_ID);
  const refresh = insertRefreshToken(app, STORE_APP, RICHARD_ID, { ssoSessionId: id });
  const response = await logout(app, { client_id: STORE_APP }, cookie);
  t.equal(sentTo(response), 'https://store.example.com/bye');
  assertCookieCleared(t, response);
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie), 'the old cookie finds no session');
  t.notOk(app.standin.stores.ssoSessions.get(id), 'the session row is gone');
  t.equal(app.standin.stores.refreshTokens.lookup(refresh.value).found, 'current', 'the refresh token lives on (FusionAuth)');
});

t.test('POST works as GET', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/logout',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { [SSO]: cookie },
    payload: new URLSearchParams({ client_id: STORE_APP, post_logout_redirect_uri: 'https://store.example.com/callback', state: 's1' }).toString(),
  });
  t.equal(sentTo(response), 'https://store.example.com/callback?state=s1');
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie));
});

t.test('without a session, logout still redirects and clears the cookie', async (t) => {
  const app = await buildMintedTokenApp(t);
  const response = await logout(app, { client_id: STORE_APP }, 'a-cookie-Standin-never-set');
  t.equal(sentTo(response), 'https://store.example.com/bye');
  assertCookieCleared(t, response);
});

t.test('redirect precedence: post_logout_redirect_uri, application logoutURL, tenant logoutURL, /', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { stores } = app.standin;
  const location = async (query: Record<string, string>) => sentTo(await logout(app, query));

  t.equal(
    await location({ client_id: STORE_APP, post_logout_redirect_uri: 'https://store.example.com/callback' }),
    'https://store.example.com/callback',
  );
  t.equal(await location({ client_id: STORE_APP }), 'https://store.example.com/bye', "the application's logoutURL");

  const store = stores.applications.get(STORE_APP)!;
  const { logoutURL: _dropped, ...oauth } = store.oauthConfiguration;
  stores.applications.update({ ...store, oauthConfiguration: oauth });
  t.equal(await location({ client_id: STORE_APP }), '/', 'nothing configured: /');

  stores.tenants.update({ ...stores.tenants.get(TENANT_ID)!, logoutURL: 'https://example.com/tenant-bye' });
  t.equal(await location({ client_id: STORE_APP }), 'https://example.com/tenant-bye', "the tenant's logoutURL");
  t.equal(await location({}), 'https://example.com/tenant-bye', 'no client: the tenant');
});

t.test('state is appended to the redirect, the URI keeping its own query', async (t) => {
  const app = await buildMintedTokenApp(t);
  const store = app.standin.stores.applications.get(STORE_APP)!;
  const registered = 'https://store.example.com/out?from=standin';
  app.standin.stores.applications.update({ ...store, oauthConfiguration: { ...store.oauthConfiguration, authorizedRedirectURLs: [registered] } });
  const response = await logout(app, { client_id: STORE_APP, post_logout_redirect_uri: registered, state: 'a b&c' });
  t.equal(sentTo(response), 'https://store.example.com/out?from=standin&state=a%20b%26c');
  t.equal(sentTo(await logout(app, { client_id: STORE_APP, state: 'xyz' })), 'https://store.example.com/bye?state=xyz');
});

t.test('localhost post_logout_redirect_uri matches on any port', async (t) => {
  const app = await buildMintedTokenApp(t);
  const response = await logout(app, { client_id: STORE_APP, post_logout_redirect_uri: 'http://localhost:4321/logged-out' });
  t.equal(sentTo(response), 'http://localhost:4321/logged-out');
});

t.test('an unregistered post_logout_redirect_uri gets an error page, no redirect, and ends nothing (RFC 9700 §4.11.2)', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  for (const uri of [
    'https://evil.example.com/',
    'https://store.example.com/callback/',
    'https://store.example.com/callback?x=1',
    'https://forums.example.com/callback',
  ]) {
    assertErrorPage(t, await logout(app, { client_id: STORE_APP, post_logout_redirect_uri: uri }, cookie), 'invalid_post_logout_redirect_uri');
  }
  assertErrorPage(
    t,
    await logout(app, { post_logout_redirect_uri: 'https://store.example.com/callback' }, cookie),
    'invalid_post_logout_redirect_uri',
  );
  t.ok(app.standin.stores.ssoSessions.byCookie(cookie), 'the session is still there');
});

t.test('an unknown client_id gets an error page', async (t) => {
  const app = await buildMintedTokenApp(t);
  assertErrorPage(t, await logout(app, { client_id: 'cccccccc-0000-4000-8000-000000000000' }), 'invalid_client_id');
});

t.test('id_token_hint names the client when client_id is absent; an expired one is fine', async (t) => {
  let now = Date.UTC(2026, 0, 1);
  const app = await buildMintedTokenApp(t, { now: () => now });
  const hint = await idToken(app, FORUMS_APP, RICHARD_ID);
  now += 7 * 24 * 3600 * 1000;
  const { cookie } = insertSsoSession(app, RICHARD_ID, { lastUsed: now });
  const response = await logout(app, { id_token_hint: hint, post_logout_redirect_uri: 'https://forums.example.com/callback' }, cookie);
  t.equal(sentTo(response), 'https://forums.example.com/callback');
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie));
  t.equal(sentTo(await logout(app, { id_token_hint: hint })), 'https://forums.example.com/bye');
});

t.test('an id_token_hint Standin did not sign gets an error page', async (t) => {
  const app = await buildMintedTokenApp(t);
  const hint = await idToken(app, FORUMS_APP, RICHARD_ID);
  const [header, payload, signature] = hint.split('.');
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), aud: STORE_APP })).toString('base64url')}.${signature}`;
  assertErrorPage(t, await logout(app, { id_token_hint: forged }), 'invalid_id_token_hint');
  assertErrorPage(t, await logout(app, { id_token_hint: 'garbage' }), 'invalid_id_token_hint');
});

t.test('reflected values on the error page are escaped', async (t) => {
  const app = await buildMintedTokenApp(t);
  const response = await logout(app, { client_id: STORE_APP, post_logout_redirect_uri: 'https://x/<script>alert(1)</script>' });
  t.equal(response.statusCode, 400);
  t.notOk(response.body.includes('<script>alert(1)'), 'no raw markup');
});

t.test('client_id and the id_token_hint must name the same client: else an error page, no redirect, nothing ended', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  const forumsHint = await idToken(app, FORUMS_APP, RICHARD_ID);
  // OpenID RP-Initiated Logout 1.0 §2: with both, the OP MUST verify that client_id is the hint's audience.
  const mismatch = await logout(
    app,
    { client_id: STORE_APP, id_token_hint: forumsHint, post_logout_redirect_uri: 'https://store.example.com/callback' },
    cookie,
  );
  assertErrorPage(t, mismatch, 'client_id_mismatch');
  assertErrorPage(t, await logout(app, { client_id: STORE_APP, id_token_hint: forumsHint }, cookie), 'client_id_mismatch');
  assertErrorPage(t, await logout(app, { client_id: STORE_APP, id_token_hint: 'garbage' }, cookie), 'invalid_id_token_hint');
  t.ok(app.standin.stores.ssoSessions.byCookie(cookie), 'the session is still there');

  const agreed = await logout(
    app,
    { client_id: FORUMS_APP, id_token_hint: forumsHint, post_logout_redirect_uri: 'https://forums.example.com/callback' },
    cookie,
  );
  t.equal(sentTo(agreed), 'https://forums.example.com/callback');
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie));
});

t.test('an access token is not an id_token_hint, nor is a vended JWT (RFC 8725 §3.12)', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  const access = (await accessToken(app, FORUMS_APP, RICHARD_ID)).token;
  assertErrorPage(
    t,
    await logout(app, { id_token_hint: access, post_logout_redirect_uri: 'https://forums.example.com/callback' }, cookie),
    'invalid_id_token_hint',
  );
  assertErrorPage(t, await logout(app, { client_id: FORUMS_APP, id_token_hint: access }, cookie), 'invalid_id_token_hint');
  // A JWT vended with the id-token key and an id token's claims is still not an id token Standin issued.
  const claims = JSON.parse(Buffer.from((await idToken(app, FORUMS_APP, RICHARD_ID)).split('.')[1]!, 'base64url').toString());
  const keyId = app.standin.stores.tenants.get(TENANT_ID)!.jwtConfiguration.idTokenKeyId;
  const vended = await app.inject({ method: 'POST', url: '/api/jwt/vend', headers: apiHeaders(), payload: { keyId, claims } });
  t.equal(vended.statusCode, 200);
  assertErrorPage(
    t,
    await logout(app, { id_token_hint: vended.json().token, post_logout_redirect_uri: 'https://forums.example.com/callback' }, cookie),
    'invalid_id_token_hint',
  );
  t.ok(app.standin.stores.ssoSessions.byCookie(cookie), 'the session is still there');
});

t.test('an id token signed with a key that is not its application’s id-token key is no hint', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { stores } = app.standin;
  const hint = await idToken(app, FORUMS_APP, RICHARD_ID);
  const generated = await app.inject({
    method: 'POST',
    url: '/api/key/generate',
    headers: apiHeaders(),
    payload: { key: { algorithm: 'RS256', name: 'forums id tokens' } },
  });
  const forums = stores.applications.get(FORUMS_APP)!;
  stores.applications.update({ ...forums, jwtConfiguration: { ...forums.jwtConfiguration, enabled: true, idTokenKeyId: generated.json().key.id } });
  assertErrorPage(t, await logout(app, { id_token_hint: hint }), 'invalid_id_token_hint');
  const fresh = await idToken(app, FORUMS_APP, RICHARD_ID);
  t.ok(sentTo(await logout(app, { id_token_hint: fresh })), 'one signed with the new id-token key is');
});

/** The logout URLs the front-channel logout page loads, in its hidden iframes. */
function framed(response: LightMyRequestResponse): string[] {
  return [...response.body.matchAll(/<iframe src="([^"]*)" title="Logout" hidden><\/iframe>/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
}

t.test("AllApplications (the default): a page loads every other application's logout URL, then moves on", async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  const response = await logout(app, { client_id: STORE_APP, state: 's' }, cookie);
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^text\/html/);
  t.same(framed(response), ['https://forums.example.com/bye'], 'the forums, not the store itself: the browser goes there anyway');
  t.equal(sentTo(response), 'https://store.example.com/bye?state=s');
  t.match(response.body, '<a href="https://store.example.com/bye?state=s">Continue now</a>', 'a link for whoever does not wait');
  t.match(
    response.headers['content-security-policy'],
    /;frame-src https:\/\/forums\.example\.com$/,
    'the page may frame the forums and nothing else',
  );
  t.match(response.headers['content-security-policy'], /frame-ancestors 'none'/, 'and is itself never framed');
  assertCookieCleared(t, response);
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie), 'the session ended');

  // With an explicit post_logout_redirect_uri, the store's own logout URL is called too.
  const explicit = await logout(app, { client_id: STORE_APP, post_logout_redirect_uri: 'https://store.example.com/callback' });
  t.same(framed(explicit).sort(), ['https://forums.example.com/bye', 'https://store.example.com/bye']);

  // The tenant's logout URL is one more, unless the browser is sent there.
  const { stores } = app.standin;
  stores.tenants.update({ ...stores.tenants.get(TENANT_ID)!, logoutURL: 'https://portal.example.com/bye' });
  t.same(framed(await logout(app, { client_id: STORE_APP })).sort(), ['https://forums.example.com/bye', 'https://portal.example.com/bye']);
});

t.test('RedirectOnly, or no other logout URL to call: a plain 302', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { stores } = app.standin;
  const store = stores.applications.get(STORE_APP)!;
  stores.applications.update({ ...store, oauthConfiguration: { ...store.oauthConfiguration, logoutBehavior: 'RedirectOnly' } });
  const redirectOnly = await logout(app, { client_id: STORE_APP });
  t.equal(redirectOnly.statusCode, 302);
  t.equal(redirectOnly.headers.location, 'https://store.example.com/bye');

  stores.applications.update(store);
  const forums = stores.applications.get(FORUMS_APP)!;
  const { logoutURL: _dropped, ...oauth } = forums.oauthConfiguration;
  stores.applications.update({ ...forums, oauthConfiguration: oauth });
  const alone = await logout(app, { client_id: STORE_APP });
  t.equal(alone.statusCode, 302, 'the page would only wait: Standin redirects at once (docs/login-flow.md)');
  t.equal(alone.headers.location, 'https://store.example.com/bye');
});

t.test('a logout URL is written into the page escaped', async (t) => {
  const app = await buildMintedTokenApp(t);
  const forums = app.standin.stores.applications.get(FORUMS_APP)!;
  const tricky = 'https://forums.example.com/bye?a="><script>alert(1)</script>&b=1';
  app.standin.stores.applications.update({ ...forums, oauthConfiguration: { ...forums.oauthConfiguration, logoutURL: tricky } });
  const response = await logout(app, { client_id: STORE_APP });
  t.notMatch(response.body, '<script>alert(1)</script>');
  t.match(response.body, '&lt;script&gt;');
});

t.test("with an id_token_hint, every logout URL and the redirect carry the tenant's iss and the hint's sid", async (t) => {
  const app = await buildMintedTokenApp(t);
  const { id, cookie } = insertSsoSession(app, RICHARD_ID);
  const hint = await idToken(app, STORE_APP, RICHARD_ID, 'openid', { ssoSessionId: id });
  const issuer = app.standin.issuerOf(app.standin.stores.tenants.get(TENANT_ID)!);
  const session = `iss=${encodeURIComponent(issuer)}&sid=${id}`;
  const response = await logout(app, { id_token_hint: hint, state: 'z' }, cookie);
  t.same(framed(response), [`https://forums.example.com/bye?${session}`]);
  t.equal(sentTo(response), `https://store.example.com/bye?${session}&state=z`);
  // A post_logout_redirect_uri is the client's own: only state is added to it.
  const explicit = await logout(app, { id_token_hint: hint, post_logout_redirect_uri: 'https://store.example.com/callback' });
  t.equal(sentTo(explicit), 'https://store.example.com/callback');
  t.ok(framed(explicit).every((url) => url.endsWith(session)));
});

t.test("the logout page of an application with authorized origins may be framed by them and still frames the others' logout URLs", async (t) => {
  const app = await buildMintedTokenApp(t);
  const store = app.standin.stores.applications.get(STORE_APP)!;
  app.standin.stores.applications.update({
    ...store,
    oauthConfiguration: { ...store.oauthConfiguration, authorizedOriginURLs: ['https://shop.example.com'] },
  });
  const response = await logout(app, { client_id: STORE_APP });
  t.equal(response.statusCode, 200);
  const policy = String(response.headers['content-security-policy']);
  t.match(policy, /frame-ancestors https:\/\/shop\.example\.com(;|$)/, 'framable by the store’s origin (cors-and-discovery.md)');
  t.match(policy, /frame-src https:\/\/forums\.example\.com(;|$)/, 'and loads the forums’ logout URL');
  t.notOk(response.headers['x-frame-options']);
});
