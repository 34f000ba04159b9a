import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, resolveConfig } from '../../src/config.js';
import type { StandinApp } from '../../src/app.js';
import { API_KEY, apiHeaders, authorizeQuery, buildEmptyApp, hiddenFields, QUICKSTART_APP, QUICKSTART_SECRET } from '../helpers/fixtures.js';
import { CLI, runCliToExit } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const RICHARD_ID = '00000000-0000-0000-0000-111111111111';
const PARAMS = { client_id: QUICKSTART_APP, redirect_uri: 'http://localhost:3000', scope: 'openid offline_access', state: 'pick' };

/** The default seed (richard registered to Example app, admin to FusionAuth), with the picker as asked. */
async function standin(t: Parameters<typeof buildEmptyApp>[0], devUserPicker: boolean): Promise<StandinApp> {
  const app = await buildEmptyApp(t, { kickstart: undefined, devUserPicker });
  // The default seed's own key is random: add the tests' key for the /api calls that make more users.
  app.standin.stores.apiKeys.insert({ id: 'bbbbbbbb-0000-4000-8000-000000000001', insertInstant: 0 }, API_KEY);
  return app;
}

async function loginPage(app: StandinApp) {
  const page = await app.inject(`/oauth2/authorize?${authorizeQuery(PARAMS)}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  return { page, csrf, hidden: hiddenFields(page.body) };
}

async function pick(app: StandinApp, userId: string, options: { csrf?: string; hidden?: Record<string, string> } = {}) {
  const { csrf, hidden } = await loginPage(app);
  return app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { 'standin.csrf': options.csrf ?? csrf },
    payload: new URLSearchParams({ ...(options.hidden ?? hidden), standin_user: userId }).toString(),
  });
}

t.test('the picker is off by default and refused beyond loopback', async (t) => {
  t.equal(resolveConfig({}).devUserPicker, false);
  t.equal(resolveConfig({ devUserPicker: true }).devUserPicker, true, 'on, on 127.0.0.1');
  t.equal(resolveConfig({ devUserPicker: true, host: '::1' }).devUserPicker, true);
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'standin']) {
    t.throws(() => resolveConfig({ devUserPicker: true, host }), ConfigError, `refused on ${host}`);
  }
});

t.test(
  'the CLI refuses --dev-user-picker beyond loopback with one line and exit code 2',
  { skip: existsSync(CLI) ? false : 'dist/standin.cjs not built (npm test builds it)' },
  async (t) => {
    const dir = temporaryFolder(t, 'standin-picker-');
    for (const [args, env] of [
      [['--dev-user-picker', '--host', '0.0.0.0'], {}],
      [['--host', '0.0.0.0'], { STANDIN_DEV_USER_PICKER: 'true' }],
    ] as const) {
      const result = await runCliToExit(['--db', join(dir, 'x.db'), '--port', '0', ...args], env, 10_000);
      t.equal(result.code, 2);
      const lines = result.stderr.trim().split('\n');
      t.equal(lines.length, 1);
      t.match(lines[0], /^standin: the dev user picker .* refused on host "0\.0\.0\.0"/);
    }
    const bad = await runCliToExit(['--db', join(dir, 'x.db'), '--port', '0'], { STANDIN_DEV_USER_PICKER: 'maybe' }, 10_000);
    t.equal(bad.code, 2, 'a variable that is neither true nor false is bad config');
  },
);

t.test('with the picker off, the login page has no buttons and a picked login is refused', async (t) => {
  const app = await standin(t, false);
  const { page } = await loginPage(app);
  t.notMatch(page.body, /standin_user|Log in as/);
  const response = await pick(app, RICHARD_ID);
  t.equal(response.statusCode, 403);
  t.notOk(response.headers.location);
  t.notOk(
    response.cookies.find((cookie) => cookie.name === 'fusionauth.sso'),
    'no session',
  );
});

t.test("with the picker on, the application's registered active users are buttons beside the normal form", async (t) => {
  const app = await standin(t, true);
  const api = (method: string, url: string, body: unknown) =>
    app.inject({ method: method as 'POST', url, headers: apiHeaders({ 'content-type': 'application/json' }), payload: JSON.stringify(body) });
  const created = await api('POST', '/api/user/registration', {
    user: { username: '<b>mallory</b>', password: 'password123' },
    registration: { applicationId: QUICKSTART_APP },
  });
  t.equal(created.statusCode, 200);
  const inactive = await api('POST', '/api/user/registration', {
    user: { email: 'gone@example.com', password: 'password123' },
    registration: { applicationId: QUICKSTART_APP },
  });
  const inactiveId = inactive.json().user.id as string;
  t.equal((await app.inject({ method: 'DELETE', url: `/api/user/${inactiveId}`, headers: apiHeaders() })).statusCode, 200, 'deactivated');

  const { page } = await loginPage(app);
  t.match(page.body, /name="loginId"/, 'the normal form stays');
  t.match(
    page.body,
    new RegExp(`<button type="submit" class="pick" name="standin_user" value="${RICHARD_ID}">Log in as richard@example.com</button>`),
  );
  t.match(page.body, /Log in as &lt;b&gt;mallory&lt;\/b&gt;/, 'labels are escaped');
  t.notMatch(page.body, /<b>mallory/);
  t.notMatch(page.body, /admin@example\.com/, 'a user registered elsewhere is not offered');
  t.notMatch(page.body, /gone@example\.com/, 'an inactive user is not offered');
  t.notMatch(page.body, /<script/i, 'no JavaScript');
  t.equal((page.body.match(/name="csrf_token"/g) ?? []).length, 2, 'each form carries the CSRF token');

  t.test('one click logs in as a password login would: code, SSO session, tokens for that user', async (t) => {
    const response = await pick(app, RICHARD_ID);
    t.equal(response.statusCode, 302);
    const location = new URL(response.headers.location as string);
    t.equal(location.origin + location.pathname, 'http://localhost:3000/');
    t.equal(location.searchParams.get('state'), 'pick');
    t.ok(
      response.cookies.find((cookie) => cookie.name === 'fusionauth.sso'),
      'an SSO session for the next application',
    );
    const token = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code')!,
        redirect_uri: 'http://localhost:3000',
        client_id: QUICKSTART_APP,
        client_secret: QUICKSTART_SECRET,
      }).toString(),
    });
    t.equal(token.statusCode, 200);
    const claims = JSON.parse(Buffer.from(token.json().access_token.split('.')[1], 'base64url').toString());
    t.equal(claims.sub, RICHARD_ID);
    t.equal(claims.authenticationType, 'PASSWORD', 'the same authenticationType as a password login');
    t.ok(app.standin.stores.users.get(RICHARD_ID)!.lastLoginInstant, 'the login is recorded');
  });

  t.test('the server checks again: registered, active, this tenant, a real user id', async (t) => {
    const adminId = app.standin.stores.users.byLoginId(app.standin.stores.applications.get(QUICKSTART_APP)!.tenantId, 'admin@example.com')!.id;
    for (const [name, userId] of [
      ['a user not registered to the application', adminId],
      ['an inactive user', inactiveId],
      ['an unknown id', '00000000-0000-4000-8000-00000000dead'],
      ['not an id', "' OR 1=1 --"],
    ] as const) {
      const response = await pick(app, userId);
      t.equal(response.statusCode, 200, `${name}: the login page again`);
      t.match(response.body, /That user cannot log in to this application\./, name);
      t.notOk(response.headers.location, `${name}: no code`);
    }
  });

  t.test('the CSRF token is required as for the password form', async (t) => {
    const response = await pick(app, RICHARD_ID, { csrf: 'A'.repeat(43) });
    t.equal(response.statusCode, 403);
    const { hidden } = await loginPage(app);
    const edited = await pick(app, RICHARD_ID, { hidden: { ...hidden, redirect_uri: 'http://localhost:3000/logged-out' } });
    t.equal(edited.statusCode, 403, 'a hidden field edited after rendering breaks the token');
  });
});

t.test('the picker lists at most 50 users', async (t) => {
  const app = await standin(t, true);
  for (let i = 0; i < 55; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/user/registration',
      headers: apiHeaders({ 'content-type': 'application/json' }),
      payload: JSON.stringify({ user: { email: `user${i}@example.com`, password: 'password123' }, registration: { applicationId: QUICKSTART_APP } }),
    });
    t.equal(response.statusCode, 200);
  }
  const { page } = await loginPage(app);
  t.equal((page.body.match(/class="pick"/g) ?? []).length, 50);
});

t.test('a picked user whose expiry has passed gets the expired-account message, not a code', async (t) => {
  const app = await standin(t, true);
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/user/${RICHARD_ID}`,
    headers: apiHeaders({ 'content-type': 'application/json' }),
    payload: JSON.stringify({ user: { expiry: 1 } }),
  });
  t.equal(patched.statusCode, 200);
  const response = await pick(app, RICHARD_ID);
  t.equal(response.statusCode, 200, 'the login page again');
  t.match(response.body, 'Your account has expired. Please contact your system administrator.');
  t.notOk(
    response.cookies.find((cookie) => cookie.name === 'fusionauth.sso'),
    'and no SSO session',
  );
});

t.test('a picked user who must change their password is sent to the change page, not given a code', async (t) => {
  const app = await standin(t, true);
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/user/${RICHARD_ID}`,
    headers: apiHeaders({ 'content-type': 'application/json' }),
    payload: JSON.stringify({ user: { passwordChangeRequired: true } }),
  });
  t.equal(patched.statusCode, 200);
  const response = await pick(app, RICHARD_ID);
  t.equal(response.statusCode, 302);
  t.match(response.headers.location, /^\/password\/change\//, 'the password change comes first, as after a password');
  t.notOk(
    response.cookies.find((cookie) => cookie.name === 'fusionauth.sso'),
    'and no SSO session yet',
  );
});

t.test("a picked user whose email is unverified meets the tenant's verification gate", async (t) => {
  const app = await standin(t, true);
  const api = (method: string, url: string, body: unknown) =>
    app.inject({ method: method as 'POST', url, headers: apiHeaders({ 'content-type': 'application/json' }), payload: JSON.stringify(body) });
  const tenantId = app.standin.stores.users.get(RICHARD_ID)!.tenantId;
  const gated = { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated' } } };
  t.equal((await api('PATCH', `/api/tenant/${tenantId}`, { tenant: gated })).statusCode, 200);
  const created = await api('POST', '/api/user/registration', {
    user: { email: 'unverified@example.com', password: 'password123' },
    registration: { applicationId: QUICKSTART_APP },
  });
  t.equal(created.statusCode, 200);
  t.equal(created.json().user.verified, false, 'a new user of a tenant that verifies email is unverified');
  const response = await pick(app, created.json().user.id as string);
  t.notMatch(response.headers.location ?? '', /[?&]code=/, 'no code');
  t.match(response.body, /Verify your email/, 'the gate page');
  t.notOk(
    response.cookies.find((cookie) => cookie.name === 'fusionauth.sso'),
    'no SSO session',
  );
});
