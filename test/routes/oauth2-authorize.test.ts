import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { authorizeQuery, hiddenFields, loginThroughForm, pkce, QUICKSTART_APP, T0 } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const REDIRECT = 'http://localhost:3000';
const OTHER_APP = 'f0f0f0f0-0000-4000-8000-0000000000f1';
const UNREGISTERED_USER = 'nobody@example.com';

/** The default seed (FusionAuth's React quickstart) plus a second app and a user registered to nothing. */
async function build(t: Test, now: () => number = () => T0) {
  const app = await buildApp({
    db: ':memory:',
    logLevel: 'silent',
    passwordHashing: 'fast',
    now,
  });
  // A second application (the seed's "forums") and a user without registrations, through the API.
  const apiKey = app.seedReport.apiKey!;
  const headers = { authorization: apiKey, 'content-type': 'application/json' };
  const created = await app.inject({
    method: 'POST',
    url: `/api/application/${OTHER_APP}`,
    headers,
    payload: {
      application: {
        name: 'Forums',
        oauthConfiguration: {
          authorizedRedirectURLs: ['https://forums.test/callback'],
          requireRegistration: false,
          enabledGrants: ['authorization_code'],
        },
      },
    },
  });
  if (created.statusCode !== 200) throw new Error(created.body);
  await app.inject({ method: 'POST', url: '/api/user', headers, payload: { user: { email: UNREGISTERED_USER, password: 'password' } } });
  t.teardown(() => app.close());
  return app;
}

const base = { client_id: QUICKSTART_APP, redirect_uri: REDIRECT, scope: 'openid offline_access', state: 'st-1' };
const richard = { loginId: 'richard@example.com', password: 'password' };

function redirectParams(location: string | undefined): URLSearchParams {
  if (!location) throw new Error('no Location header');
  return new URL(location).searchParams;
}

t.test('the login page is FusionAuth-shaped, escaped and framed by the right headers', async (t) => {
  const app = await build(t);
  const response = await app.inject(`/oauth2/authorize?${authorizeQuery({ ...base, login_hint: '<img src=x onerror=alert(1)>', nonce: 'n"1' })}`);
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^text\/html/);
  t.equal(response.headers['cache-control'], 'no-store');
  // The quickstart application's authorizedOriginURLs may frame its login page, and no other page.
  t.equal(response.headers['x-frame-options'], undefined);
  t.equal(response.headers['referrer-policy'], 'no-referrer');
  const csp = String(response.headers['content-security-policy']);
  t.match(csp, 'frame-ancestors http://localhost:3000;');
  t.notMatch(csp, 'form-action', 'no form-action: Chromium would block the redirect after the POST');
  t.match(response.body, '<form class="panel" action="/oauth2/authorize" method="POST"');
  t.match(response.body, '<label for="loginId">Login</label>');
  t.match(response.body, '<label for="password">Password</label>');
  t.match(response.body, 'name="rememberDevice" value="true"> Keep me signed in</label>');
  t.match(response.body, '<button type="submit" class="primary">Submit</button>');
  t.match(response.body, '<strong>Example app</strong>');
  t.match(response.body, 'value="&lt;img src=x onerror=alert(1)&gt;"', 'login_hint prefills the Login field, escaped');
  t.notMatch(response.body, '<img src=x');
  const hidden = hiddenFields(response.body);
  t.same(Object.keys(hidden).sort(), ['client_id', 'csrf_token', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
  t.equal(hidden.nonce, 'n"1');
  t.notMatch(response.body, /<script/, 'the login page runs no script');
});

t.test('an unknown client or an unregistered redirect_uri gets an error page, never a redirect', async (t) => {
  const app = await build(t);
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no client_id', { redirect_uri: REDIRECT }, /client_id parameter is required/],
    ['an unknown client_id', { ...base, client_id: 'aaaaaaaa-0000-4000-8000-00000000dead' }, /Invalid client_id/],
    ['a client_id that is not a UUID', { ...base, client_id: 'store' }, /Invalid client_id/],
    ['no redirect_uri', { client_id: QUICKSTART_APP }, /redirect_uri parameter is required/],
    ['a trailing slash', { ...base, redirect_uri: `${REDIRECT}/` }, /Invalid redirect uri/],
    ['another path', { ...base, redirect_uri: `${REDIRECT}/evil` }, /Invalid redirect uri/],
    ['another host', { ...base, redirect_uri: 'http://localhost.evil:3000' }, /Invalid redirect uri/],
    ['https instead of http', { ...base, redirect_uri: 'https://localhost:3000' }, /Invalid redirect uri/],
    ["another application's redirect_uri", { ...base, redirect_uri: 'https://forums.test/callback' }, /Invalid redirect uri/],
    ['a duplicated client_id', { ...base }, /more than once/],
  ];
  for (const [name, params, message] of cases) {
    const query = name === 'a duplicated client_id' ? `${authorizeQuery(params)}&client_id=${QUICKSTART_APP}` : authorizeQuery(params);
    const response = await app.inject(`/oauth2/authorize?${query}`);
    t.equal(response.statusCode, 400, `${name}: 400`);
    t.equal(response.headers.location, undefined, `${name}: no Location`);
    t.match(response.headers['content-type'], /^text\/html/, `${name}: an HTML page`);
    t.match(response.body, message, name);
  }
});

t.test('a localhost redirect_uri matches on any port', async (t) => {
  const app = await build(t);
  const response = await app.inject(`/oauth2/authorize?${authorizeQuery({ ...base, redirect_uri: 'http://localhost:5173' })}`);
  t.equal(response.statusCode, 200);
});

t.test("other errors go back to the redirect_uri with FusionAuth's error, error_reason, error_description, state and iss (RFC 9207)", async (t) => {
  const app = await build(t);
  const { challenge } = pkce();
  const cases: [string, string, string, string][] = [
    ['response_type=token', authorizeQuery({ ...base, response_type: 'token' }), 'unsupported_response_type', 'invalid_response_type'],
    ['no response_type', new URLSearchParams(base).toString(), 'invalid_request', 'missing_response_type'],
    ['response_mode=fragment', authorizeQuery({ ...base, response_mode: 'fragment' }), 'invalid_request', 'invalid_response_mode'],
    [
      'PKCE plain',
      authorizeQuery({ ...base, code_challenge: challenge, code_challenge_method: 'plain' }),
      'invalid_request',
      'invalid_pkce_code_challenge_method',
    ],
    [
      'a challenge without a method (plain by default)',
      authorizeQuery({ ...base, code_challenge: challenge }),
      'invalid_request',
      'invalid_pkce_code_challenge_method',
    ],
    [
      'a challenge of 42 characters',
      authorizeQuery({ ...base, code_challenge: challenge.slice(1), code_challenge_method: 'S256' }),
      'invalid_request',
      'invalid_pkce_code_challenge',
    ],
    ['prompt=none with login', authorizeQuery({ ...base, prompt: 'none login' }), 'invalid_request', 'invalid_prompt'],
    ['an unknown prompt', authorizeQuery({ ...base, prompt: 'maybe' }), 'invalid_request', 'invalid_prompt'],
    ['an unknown scope', authorizeQuery({ ...base, scope: 'openid admin' }), 'invalid_scope', 'unknown_scope'],
    ['max_age that is not a number', authorizeQuery({ ...base, max_age: 'soon' }), 'invalid_request', 'unknown'],
    ['a duplicated scope', `${authorizeQuery(base)}&scope=email`, 'invalid_request', 'unknown'],
    ['another tenant', authorizeQuery({ ...base, tenantId: 'aaaaaaaa-0000-4000-8000-000000000999' }), 'invalid_request', 'invalid_tenant_id'],
  ];
  for (const [name, query, error, reason] of cases) {
    const response = await app.inject(`/oauth2/authorize?${query}`);
    t.equal(response.statusCode, 302, `${name}: 302`);
    const params = redirectParams(response.headers.location);
    t.equal(new URL(response.headers.location as string).origin, REDIRECT, `${name}: to the registered redirect_uri`);
    t.equal(params.get('error'), error, `${name}: error`);
    t.equal(params.get('error_reason'), reason, `${name}: error_reason`);
    t.ok(params.get('error_description'), `${name}: error_description`);
    t.equal(params.get('state'), 'st-1', `${name}: state`);
    t.equal(
      params.get('iss'),
      app.standin.issuerOf(app.standin.stores.tenants.get(app.standin.stores.applications.get(QUICKSTART_APP)!.tenantId)!),
      `${name}: iss`,
    );
    t.equal(params.get('code'), null, `${name}: no code`);
  }
});

t.test('an application that requires PKCE refuses a request without a challenge', async (t) => {
  const app = await build(t);
  await app.inject({
    method: 'PATCH',
    url: `/api/application/${QUICKSTART_APP}`,
    headers: { authorization: app.seedReport.apiKey!, 'content-type': 'application/json' },
    payload: { application: { oauthConfiguration: { proofKeyForCodeExchangePolicy: 'Required' } } },
  });
  const response = await app.inject(`/oauth2/authorize?${authorizeQuery(base)}`);
  t.equal(redirectParams(response.headers.location as string).get('error_reason'), 'missing_code_challenge');
});

t.test("the redirect URI's own query comes back as it was registered, byte for byte (RFC 6749 §3.1.2)", async (t) => {
  const app = await build(t);
  const redirect = 'http://localhost:3000/cb?next=/home&flag&sp=a%20b';
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/application/${QUICKSTART_APP}`,
    headers: { authorization: app.seedReport.apiKey!, 'content-type': 'application/json' },
    payload: { application: { oauthConfiguration: { authorizedRedirectURLs: [redirect] } } },
  });
  t.equal(patched.statusCode, 200);
  const result = await loginThroughForm(app, { ...base, redirect_uri: redirect }, richard);
  t.equal(result.status, 302);
  t.equal(result.location!.startsWith(`${redirect}&code=`), true, result.location!);
  t.match(redirectParams(result.location).get('code'), /^[A-Za-z0-9_-]{43}$/);
});

t.test('a login redirects with a code, locale, state, userState and iss, and sets the SSO cookie', async (t) => {
  const app = await build(t);
  const state = 'ä ü/?&=#%20"<>\r\n' + 'x'.repeat(100);
  const result = await loginThroughForm(app, { ...base, state }, richard);
  t.equal(result.status, 302);
  const params = redirectParams(result.location);
  t.equal(result.location!.startsWith(`${REDIRECT}/?`), true);
  t.match(params.get('code'), /^[A-Za-z0-9_-]{43}$/, 'a 256-bit base64url code');
  t.equal(params.get('state'), state, 'state comes back exactly');
  t.equal(params.get('locale'), 'en');
  t.equal(params.get('userState'), 'Authenticated');
  t.equal(params.get('iss'), 'http://localhost:9011');
  const sso = result.setCookie.find((cookie) => cookie.startsWith('fusionauth.sso='))!;
  t.match(sso, /; HttpOnly/);
  t.match(sso, /; SameSite=Lax/);
  t.match(sso, /; Path=\//);
  t.notMatch(sso, /Domain=/i, 'host-only');
  t.notMatch(sso, /Max-Age|Expires/i, 'without "Keep me signed in", a browser-session cookie');
  t.notMatch(sso, /Secure/, 'not Secure over http');

  const kept = await loginThroughForm(app, base, { ...richard, rememberDevice: true });
  t.match(
    kept.setCookie.find((cookie) => cookie.startsWith('fusionauth.sso='))!,
    /Max-Age=3600/,
    '"Keep me signed in" makes it persistent',
  );
});

t.test('codes and session cookies are stored hashed', async (t) => {
  const dir = temporaryFolder(t, 'standin-auth-'); // teardowns run last first: after app.close
  const file = `${dir}/s.db`;
  const app = await buildApp({ db: file, logLevel: 'silent', passwordHashing: 'fast', now: () => T0 });
  t.teardown(() => app.close());
  const result = await loginThroughForm(app, base, richard);
  const code = redirectParams(result.location).get('code')!;
  const db = new Database(file, { readonly: true });
  const dump = JSON.stringify([db.prepare('SELECT * FROM authorization_codes').all(), db.prepare('SELECT * FROM sso_sessions').all()]);
  db.close();
  t.notMatch(dump, code);
  t.notMatch(dump, result.sso!);
  t.match(dump, QUICKSTART_APP, 'the rows are there');
});

t.test('a wrong password and an unknown user get the same page', async (t) => {
  const app = await build(t);
  const wrong = await loginThroughForm(app, base, { loginId: 'richard@example.com', password: 'wrong-password' });
  const unknown = await loginThroughForm(app, base, { loginId: 'richard@example.com'.replace('richard', 'nobody-here'), password: 'wrong-password' });
  for (const result of [wrong, unknown]) {
    t.equal(result.status, 200);
    t.match(result.body, '<div class="alert" role="alert">Invalid login credentials.</div>');
    t.equal(
      result.setCookie.some((cookie) => cookie.startsWith('fusionauth.sso=')),
      false,
      'no session',
    );
  }
  const strip = (body: string) => body.replace(/name="csrf_token" value="[^"]*"/, '').replace(/value="(richard|nobody-here)@example.com"/, '');
  t.equal(strip(wrong.body), strip(unknown.body), 'byte for byte, but for the CSRF token and the echoed login id');
});

t.test('a deactivated user cannot log in', async (t) => {
  const app = await build(t);
  await app.inject({ method: 'DELETE', url: '/api/user/00000000-0000-0000-0000-111111111111', headers: { authorization: app.seedReport.apiKey! } });
  const result = await loginThroughForm(app, base, richard);
  t.equal(result.status, 200);
  t.match(result.body, 'Invalid login credentials.');
});

t.test('the login POST needs the CSRF token of its own request, the cookie, and no foreign Origin', async (t) => {
  const app = await build(t);
  const page = await app.inject(`/oauth2/authorize?${authorizeQuery(base)}`);
  const cookie = page.cookies.find((c) => c.name === 'standin.csrf')!.value;
  const fields = hiddenFields(page.body);
  const post = (form: Record<string, string>, cookies: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cookies,
      payload: new URLSearchParams({ ...form, ...richard }).toString(),
    });
  const { csrf_token: _token, ...withoutToken } = fields;
  t.equal((await post(withoutToken, { 'standin.csrf': cookie })).statusCode, 403, 'no token');
  t.equal((await post(fields, {})).statusCode, 403, 'no cookie');
  t.equal((await post(fields, { 'standin.csrf': 'A'.repeat(43) })).statusCode, 403, "another browser's cookie");
  t.equal((await post({ ...fields, state: 'tampered' }, { 'standin.csrf': cookie })).statusCode, 403, 'a hidden field edited');
  t.equal((await post({ ...fields, redirect_uri: 'http://localhost:4000' }, { 'standin.csrf': cookie })).statusCode, 403, 'another redirect_uri');
  t.equal((await post(fields, { 'standin.csrf': cookie }, { origin: 'https://evil.test' })).statusCode, 403, 'a foreign Origin');
  t.equal((await post(fields, { 'standin.csrf': cookie }, { origin: 'http://localhost:9011' })).statusCode, 403, 'another port is another origin');
  t.equal(
    (await post(fields, { 'standin.csrf': cookie }, { 'sec-fetch-site': 'cross-site' })).statusCode,
    403,
    'a cross-site POST, by Sec-Fetch-Site',
  );
  t.equal((await post(fields, { 'standin.csrf': cookie }, { 'sec-fetch-site': 'same-site' })).statusCode, 403, 'another port of the same site');
  t.equal(
    (await post(fields, { 'standin.csrf': cookie }, { origin: 'null', 'sec-fetch-site': 'same-origin' })).statusCode,
    302,
    'Origin: null is what Chromium sends under no-referrer',
  );
  t.equal((await post(fields, { 'standin.csrf': cookie }, { origin: 'http://localhost:80' })).statusCode, 302, "this server's own origin logs in");
  t.equal((await post(fields, { 'standin.csrf': cookie })).statusCode, 302, 'so does a form without an Origin header');
});

t.test('registration rules: requireRegistration refuses, otherwise userState says AuthenticatedNotRegistered', async (t) => {
  const app = await build(t);
  const refused = await loginThroughForm(app, base, { loginId: UNREGISTERED_USER, password: 'password' });
  const params = redirectParams(refused.location);
  t.equal(params.get('error'), 'access_denied');
  t.equal(params.get('error_reason'), 'registration_required');
  t.equal(params.get('code'), null);
  const forums = await loginThroughForm(
    app,
    { client_id: OTHER_APP, redirect_uri: 'https://forums.test/callback', state: 'f' },
    { loginId: UNREGISTERED_USER, password: 'password' },
  );
  t.equal(redirectParams(forums.location).get('userState'), 'AuthenticatedNotRegistered');
  t.ok(redirectParams(forums.location).get('code'));
});

t.test('a live SSO session logs another application in with no form', async (t) => {
  const app = await build(t);
  const store = await loginThroughForm(app, base, richard);
  const forums = await app.inject({
    url: `/oauth2/authorize?${authorizeQuery({ client_id: OTHER_APP, redirect_uri: 'https://forums.test/callback', state: 'forums' })}`,
    cookies: { 'fusionauth.sso': store.sso! },
  });
  t.equal(forums.statusCode, 302);
  const params = redirectParams(forums.headers.location);
  t.ok(params.get('code'));
  t.equal(params.get('state'), 'forums');
  t.equal(params.get('userState'), 'AuthenticatedNotRegistered', 'richard is registered to the store only');
});

t.test('prompt and max_age decide when the session is not enough (OIDC Core §3.1.2.1)', async (t) => {
  let now = T0;
  const app = await build(t, () => now);
  const { sso } = await loginThroughForm(app, base, richard);
  const authorize = (params: Record<string, string>, cookie = true) =>
    app.inject({ url: `/oauth2/authorize?${authorizeQuery({ ...base, ...params })}`, cookies: cookie ? { 'fusionauth.sso': sso! } : {} });

  t.equal((await authorize({})).statusCode, 302, 'the session is reused');
  t.equal((await authorize({ prompt: 'login' })).statusCode, 200, 'prompt=login shows the form');
  t.equal((await authorize({ max_age: '0' })).statusCode, 200, 'max_age=0 shows the form');
  const silent = await authorize({ prompt: 'none' });
  t.ok(redirectParams(silent.headers.location).get('code'), 'prompt=none with a session: a code, no UI');
  const noSession = await authorize({ prompt: 'none' }, false);
  t.equal(redirectParams(noSession.headers.location as string).get('error'), 'login_required');

  now = T0 + 100_000;
  t.equal((await authorize({ max_age: '60' })).statusCode, 200, 'an exceeded max_age shows the form');
  t.equal((await authorize({ max_age: '600' })).statusCode, 302, 'a max_age not yet exceeded reuses the session');

  now += 3_600_000;
  t.equal((await authorize({})).statusCode, 200, 'idle for longer than httpSessionMaxInactiveInterval: the session is over');
  t.equal((await authorize({ prompt: 'none' })).statusCode, 302);
});

t.test('every login makes a new session, whatever cookie the browser brought (session fixation)', async (t) => {
  const app = await build(t);
  const first = await loginThroughForm(app, base, richard);
  const second = await loginThroughForm(app, base, richard);
  t.not(first.sso, second.sso);
  const planted = await app.inject({ url: `/oauth2/authorize?${authorizeQuery(base)}`, cookies: { 'fusionauth.sso': 'attacker-chosen-value' } });
  t.equal(planted.statusCode, 200, 'an unknown session cookie grants nothing');
});

t.test('response_mode=form_post answers with an auto-submitting form, values escaped', async (t) => {
  const app = await build(t);
  const result = await loginThroughForm(app, { ...base, response_mode: 'form_post', state: '"><script>alert(1)</script>' }, richard);
  t.equal(result.status, 200);
  t.match(result.body, `<form id="form-post" class="panel" method="POST" action="${REDIRECT}">`);
  t.match(result.body, /<input type="hidden" name="code" value="[A-Za-z0-9_-]{43}">/);
  t.match(result.body, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  t.match(result.body, '<script src="/form-post.js"></script>');
  t.notMatch(result.body, '<script>alert(1)');
});
