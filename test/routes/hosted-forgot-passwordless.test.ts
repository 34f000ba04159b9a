import { createHash } from 'node:crypto';
import t from 'tap';
import { API_KEY, buildEmptyApp, testKickstart } from '../helpers/fixtures.js';

// The forgot-password and magic-link pages' edges through app.inject: bad input is a page, never a 500;
// forged forms are refused; reflected values are escaped; codes are stored hashed
// (docs/forgot-password-and-passwordless.md).
const APP = 'cccccccc-0000-4000-8000-000000000001';
const OFF_APP = 'cccccccc-0000-4000-8000-000000000002';
const USER = 'cccccccc-0000-4000-8000-0000000000a1';
const EMAIL = 'hosted@example.com';
const CALLBACK = 'http://localhost:3000/callback';

async function setUp(t: Parameters<typeof buildEmptyApp>[0]) {
  return buildEmptyApp(t, {
    kickstart: testKickstart([
      {
        url: `/api/application/${APP}`,
        body: {
          application: { name: 'Store', passwordlessConfiguration: { enabled: true }, oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } },
        },
      },
      { url: `/api/application/${OFF_APP}`, body: { application: { name: 'Plain', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
      { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: 'password1' }, registration: { applicationId: APP } } },
    ]),
  });
}
const oauth = (clientId: string) =>
  new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', state: '"><script>alert(1)</script>' });

t.test('the login page links carry the authorization request; the magic link only when the application enables it', async (t) => {
  const app = await setUp(t);
  const on = await app.inject({ url: `/oauth2/authorize?${oauth(APP)}` });
  t.match(on.body, /href="\/password\/forgot\?client_id=cccccccc-0000-4000-8000-000000000001&amp;redirect_uri=/);
  t.match(on.body, /href="\/oauth2\/passwordless\?client_id=/);
  t.notMatch(on.body, /<script>alert/, 'the state is escaped');
  const off = await app.inject({ url: `/oauth2/authorize?${oauth(OFF_APP)}` });
  t.match(off.body, /Forgot your password\?/);
  t.notMatch(off.body, /magic link/);
});

t.test('a long state (ASP.NET Core sends 1–2 KB) is carried whole to the forgot-password and magic-link pages', async (t) => {
  const app = await setUp(t);
  const state = 's'.repeat(3000);
  const login = await app.inject({
    url: `/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', state })}`,
  });
  for (const page of ['/password/forgot', '/oauth2/passwordless']) {
    const href = new RegExp(`href="(${page.replace('/', '\\/')}\\?[^"]*)"`).exec(login.body)?.[1]?.replaceAll('&amp;', '&');
    t.ok(href, `the login page links to ${page}`);
    const answer = await app.inject({ url: href! });
    t.equal(answer.statusCode, 200, page);
    t.match(answer.body, `name="state" value="${state}"`, `${page} carries the whole state`);
  }
});

t.test('bad input is a page with a 4xx, never a 500', async (t) => {
  const app = await setUp(t);
  for (const [method, url, headers, payload] of [
    ['POST', '/password/forgot', { 'content-type': 'application/json' }, '{"email":"x"}'],
    ['POST', '/password/change', { 'content-type': 'application/x-www-form-urlencoded' }, 'changePasswordId=x&password=' + 'a'.repeat(2000)],
    ['POST', '/oauth2/passwordless', { 'content-type': 'application/x-www-form-urlencoded' }, 'loginId=x'],
    ['GET', '/password/change/x?password=' + 'a'.repeat(2000), {}, undefined],
  ] as const) {
    const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    t.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url.slice(0, 40)}: ${response.statusCode}`);
    t.match(response.headers['content-type'], /text\/html/);
  }
  t.equal((await app.inject({ url: '/oauth2/passwordless' })).statusCode, 400, 'no authorization request: 400 page');
  const disabled = await app.inject({ url: `/oauth2/passwordless?${oauth(OFF_APP)}` });
  t.equal(disabled.statusCode, 403);
  t.match(disabled.body, /Passwordless login is not currently configured\./);
  t.equal((await app.inject({ url: '/password/change/not-a-live-id' })).statusCode, 404);
  t.equal((await app.inject({ url: '/oauth2/passwordless/not-a-live-code' })).statusCode, 404);
});

t.test('forms without the CSRF token are refused, and nothing is sent', async (t) => {
  const app = await setUp(t);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  t.equal((await app.inject({ method: 'POST', url: '/password/forgot', headers: form, payload: `email=${EMAIL}` })).statusCode, 403);
  t.equal(
    (await app.inject({ method: 'POST', url: '/oauth2/passwordless', headers: form, payload: `${oauth(APP)}&loginId=${EMAIL}` })).statusCode,
    403,
  );
  t.same(app.standin.email.outbox.list(), [], 'no email went out');
});

t.test('passwordless codes are stored only as their SHA-256, and a start voids the older code', async (t) => {
  const app = await setUp(t);
  const start = async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/passwordless/start',
      headers: { authorization: API_KEY },
      payload: { applicationId: APP, loginId: EMAIL },
    });
    return response.json<{ code: string }>().code;
  };
  const first = await start();
  const second = await start();
  const rows = app.standin.stores.db.prepare('SELECT code_hash FROM passwordless_codes').pluck().all();
  t.same(rows, [createHash('sha256').update(second).digest('base64url')], "one row, the newest code's SHA-256, not the code");
  t.equal((await app.inject({ method: 'POST', url: '/api/passwordless/login', payload: { code: first } })).statusCode, 404);
  t.equal((await app.inject({ method: 'POST', url: '/api/passwordless/login', payload: { code: second } })).statusCode, 200);
});

t.test('a deactivated user can finish a password change on the page but is not logged in by it', async (t) => {
  const app = await setUp(t);
  const forgot = await app.inject({
    method: 'POST',
    url: '/api/user/forgot-password',
    headers: { authorization: API_KEY },
    payload: { loginId: EMAIL, sendForgotPasswordEmail: false },
  });
  const { changePasswordId } = forgot.json<{ changePasswordId: string }>();
  t.equal((await app.inject({ method: 'DELETE', url: `/api/user/${USER}`, headers: { authorization: API_KEY } })).statusCode, 200, 'deactivated');
  const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', state: 's' });
  const page = await app.inject({ url: `/password/change/${changePasswordId}?${query}` });
  const token = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = page.cookies.find((one) => one.name === 'standin.csrf')!;
  t.equal(cookie.path, '/password', 'the CSRF cookie is scoped to these pages');
  const posted = await app.inject({
    method: 'POST',
    url: '/password/change',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { 'standin.csrf': cookie.value },
    payload: `${query}&csrf_token=${encodeURIComponent(token)}&changePasswordId=${changePasswordId}&password=new-password-1&passwordConfirm=new-password-1`,
  });
  t.equal(posted.statusCode, 200);
  t.match(posted.body, /Your password has been updated successfully\./);
  t.notOk(posted.headers.location, 'no redirect with a code');
  t.notOk(
    posted.cookies.some((one) => one.name === 'fusionauth.sso'),
    'no SSO session',
  );
});
