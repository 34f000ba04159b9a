import t, { type Test } from 'tap';
import { decodeJwt } from 'jose';
import { buildApp, type StandinApp } from '../../src/app.js';
import { writeMembers } from '../../src/manage/group-members.js';
import { createGroup } from '../../src/manage/groups.js';
import { createRole } from '../../src/manage/application-roles.js';
import { hiddenFields, injectAsBrowserAtBaseUrl, QUICKSTART_APP, T0 } from '../helpers/fixtures.js';

const ORIGIN = 'http://localhost:3000';
const RETURN_TO = 'http://localhost:3000';

async function build(t: Test): Promise<StandinApp> {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', now: () => T0 });
  t.teardown(() => app.close());
  injectAsBrowserAtBaseUrl(app);
  return app;
}

function cookie(response: { cookies: { name: string; value: string }[] }, name: string) {
  return response.cookies.find((c) => c.name === name) as
    | { name: string; value: string; httpOnly?: boolean; maxAge?: number; sameSite?: string; domain?: string; secure?: boolean; expires?: Date }
    | undefined;
}

/** Logs in through /app/login as a browser would, and returns the /app/callback response. */
async function signIn(app: StandinApp, loginUrl: string) {
  const login = await app.inject(loginUrl);
  const pkce = cookie(login, 'app.pkce_v')!.value;
  const page = await app.inject(login.headers.location as string);
  const csrf = cookie(page, 'standin.csrf')!.value;
  const posted = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    cookies: { 'standin.csrf': csrf },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), loginId: 'richard@example.com', password: 'password' }).toString(),
  });
  const callback = new URL(posted.headers.location as string);
  return app.inject({ url: callback.pathname + callback.search, cookies: { 'app.pkce_v': pkce } });
}

t.test('/app/login redirects to /oauth2/authorize with S256 PKCE, the callback, the default scope and the verifier cookie', async (t) => {
  const app = await build(t);
  for (const url of [
    `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s1`,
    `/app/login/${QUICKSTART_APP}/?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s1`,
    `/app/login/?client_id=${QUICKSTART_APP}&redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s1`,
    `/app/login?client_id=${QUICKSTART_APP}&redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s1`,
    `/app/register/?client_id=${QUICKSTART_APP}&redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s1`,
  ]) {
    const response = await app.inject(url);
    t.equal(response.statusCode, 302, url);
    const location = new URL(response.headers.location as string, 'http://localhost:9011');
    // The quickstart application has self-service registration on: register goes to its page (Hosted Backend API).
    t.equal(location.pathname, url.startsWith('/app/register') ? '/oauth2/register' : '/oauth2/authorize');
    t.equal(location.searchParams.get('client_id'), QUICKSTART_APP);
    t.equal(location.searchParams.get('code_challenge_method'), 'S256');
    t.match(location.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    t.equal(location.searchParams.get('redirect_uri'), 'http://localhost:9011/app/callback');
    t.equal(location.searchParams.get('scope'), 'openid offline_access', 'the default scope');
    const verifier = cookie(response, 'app.pkce_v');
    t.ok(verifier?.httpOnly && verifier.value.length === 43, 'app.pkce_v is set, HttpOnly');
  }
  const scoped = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&scope=openid%20email&idp_hint=x`);
  const location = new URL(scoped.headers.location as string, 'http://localhost:9011');
  t.equal(location.searchParams.get('scope'), 'openid email', "the caller's scope");
  t.equal(location.searchParams.get('idp_hint'), 'x', 'other authorize parameters pass through');
});

t.test('/app/login refuses a redirect_uri the application did not register, with a page and no redirect', async (t) => {
  const app = await build(t);
  for (const target of ['https://evil.test/', 'http://localhost:3000/elsewhere', '']) {
    const response = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(target)}`);
    t.equal(response.statusCode, 400, target);
    t.equal(response.headers.location, undefined);
    t.notOk(cookie(response, 'app.pkce_v'));
  }
  t.equal((await app.inject(`/app/login/not-a-client?redirect_uri=${encodeURIComponent(RETURN_TO)}`)).statusCode, 400);
});

t.test('/app/callback sets the four cookies, clears the verifier and returns with state, locale and userState', async (t) => {
  const app = await build(t);
  const callback = await signIn(
    app,
    `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=${encodeURIComponent('my:state')}`,
  );
  t.equal(callback.statusCode, 302);
  const back = new URL(callback.headers.location as string);
  t.equal(back.origin, RETURN_TO);
  t.equal(back.searchParams.get('state'), 'my:state');
  t.equal(back.searchParams.get('locale'), 'en');
  t.equal(back.searchParams.get('userState'), 'Authenticated');
  const at = cookie(callback, 'app.at')!;
  const rt = cookie(callback, 'app.rt')!;
  const idt = cookie(callback, 'app.idt')!;
  const exp = cookie(callback, 'app.at_exp')!;
  t.equal(at.httpOnly, true, 'app.at is HttpOnly');
  t.equal(rt.httpOnly, true, 'app.rt is HttpOnly');
  t.notOk(idt.httpOnly, 'app.idt is readable by script');
  t.notOk(exp.httpOnly, 'app.at_exp is readable by script');
  for (const c of [at, rt, idt, exp]) {
    t.equal(c.sameSite, 'Lax', `${c.name} SameSite=Lax`);
    t.equal(c.domain, undefined, `${c.name} host-only on localhost`);
    t.notOk(c.secure, `${c.name} not Secure over http`);
  }
  t.equal(Number(exp.value), T0 / 1000 + 3600, 'app.at_exp is the access token expiry in seconds');
  t.equal(cookie(callback, 'app.pkce_v')!.maxAge, 0, 'the verifier is cleared');
});

t.test('/app/callback refuses a state that names an unregistered redirect_uri, or no state at all', async (t) => {
  const app = await build(t);
  const forged = Buffer.from(JSON.stringify({ clientId: QUICKSTART_APP, redirectUri: 'https://evil.test/' })).toString('base64url');
  for (const query of [`code=x&state=${forged}`, 'code=x', 'code=x&state=garbage']) {
    const response = await app.inject(`/app/callback?${query}`);
    t.equal(response.statusCode, 400, query);
    t.equal(response.headers.location, undefined);
  }
});

t.test('/app/refresh answers 200 with fresh cookies for an empty text/plain or JSON body, 400 without a live refresh token', async (t) => {
  const app = await build(t);
  const callback = await signIn(app, `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}`);
  const rt = cookie(callback, 'app.rt')!.value;
  for (const [url, type] of [
    [`/app/refresh/?client_id=${QUICKSTART_APP}`, 'text/plain'],
    [`/app/refresh/${QUICKSTART_APP}`, 'application/json'],
  ] as const) {
    const response = await app.inject({ method: 'POST', url, headers: { 'content-type': type }, cookies: { 'app.rt': rt } });
    t.equal(response.statusCode, 200, `${url} ${type}`);
    t.ok(cookie(response, 'app.at')?.value, 'a fresh app.at');
    t.ok(cookie(response, 'app.at_exp')?.value);
  }
  t.equal((await app.inject({ method: 'POST', url: `/app/refresh/${QUICKSTART_APP}` })).statusCode, 400, 'no refresh token cookie');
  t.equal((await app.inject({ method: 'POST', url: `/app/refresh/${QUICKSTART_APP}`, cookies: { 'app.rt': 'dead' } })).statusCode, 400, 'a dead one');
});

t.test("the hosted backend's tokens carry a group's roles, read again at each refresh (docs/groups.md)", async (t) => {
  const app = await build(t);
  const { stores } = app.standin;
  const application = stores.applications.get(QUICKSTART_APP)!;
  const role = createRole(stores, T0, application, undefined, { name: 'editor' });
  const group = await createGroup(app.standin, application.tenantId, undefined, { group: { name: 'Editors' }, roleIds: [role.id] });
  const richard = stores.users.list(application.tenantId).find((user) => user.email === 'richard@example.com')!;
  await writeMembers(app.standin, () => true, { members: { [group.id]: [{ userId: richard.id }] } }, 'add');
  const callback = await signIn(app, `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}`);
  t.same(decodeJwt(cookie(callback, 'app.at')!.value).roles, ['editor'], '/app/callback');
  stores.groups.delete(group.id);
  const refreshed = await app.inject({
    method: 'POST',
    url: `/app/refresh/${QUICKSTART_APP}`,
    cookies: { 'app.rt': cookie(callback, 'app.rt')!.value },
  });
  t.same(decodeJwt(cookie(refreshed, 'app.at')!.value).roles, [], '/app/refresh after the group is deleted');
});

t.test('/app/me answers the userinfo claims, or 401', async (t) => {
  const app = await build(t);
  const callback = await signIn(
    app,
    `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&scope=${encodeURIComponent('openid offline_access email profile')}`,
  );
  const me = await app.inject({ url: '/app/me/', cookies: { 'app.at': cookie(callback, 'app.at')!.value } });
  t.equal(me.statusCode, 200);
  t.match(me.headers['content-type'], /^application\/json/);
  t.equal(me.json().email, 'richard@example.com');
  t.equal(me.json().given_name, 'Richard');
  const bearer = await app.inject({ url: '/app/me', headers: { authorization: `Bearer ${cookie(callback, 'app.at')!.value}` } });
  t.equal(bearer.statusCode, 200, 'a Bearer header works too');
  t.equal((await app.inject('/app/me/')).statusCode, 401);
  t.equal((await app.inject({ url: '/app/me/', cookies: { 'app.at': 'garbage' } })).statusCode, 401);
});

t.test('/app/logout clears the four cookies and goes through /oauth2/logout', async (t) => {
  const app = await build(t);
  const response = await app.inject(
    `/app/logout/?client_id=${QUICKSTART_APP}&post_logout_redirect_uri=${encodeURIComponent('http://localhost:3000/logged-out')}`,
  );
  t.equal(response.statusCode, 302);
  const location = new URL(response.headers.location as string, 'http://localhost:9011');
  t.equal(location.pathname, '/oauth2/logout');
  t.equal(location.searchParams.get('client_id'), QUICKSTART_APP);
  t.equal(location.searchParams.get('post_logout_redirect_uri'), 'http://localhost:3000/logged-out');
  for (const name of ['app.at', 'app.rt', 'app.idt', 'app.at_exp']) t.equal(cookie(response, name)?.maxAge, 0, `${name} cleared`);
});

t.test('reached by a domain name, the cookies go to its registrable domain; by localhost, host-only', async (t) => {
  const app = await build(t);
  const logout = (host: string) => app.inject({ url: `/app/logout/?client_id=${QUICKSTART_APP}`, headers: { host } });
  for (const [host, domain] of [
    ['login.auth.example.co.uk:8443', 'example.co.uk'],
    ['auth.example.com', 'example.com'],
    ['localhost:9011', undefined],
  ] as const) {
    const response = await logout(host);
    for (const name of ['app.at', 'app.rt', 'app.idt', 'app.at_exp']) t.equal(cookie(response, name)?.domain, domain, `${host}: ${name}`);
  }
});

t.test('CORS with credentials only for the authorized origins', async (t) => {
  const app = await build(t);
  const allowed = await app.inject({ url: `/app/me/`, headers: { origin: ORIGIN } });
  t.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
  t.equal(allowed.headers['access-control-allow-credentials'], 'true');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: `/app/refresh/?client_id=${QUICKSTART_APP}`,
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
  });
  t.equal(preflight.headers['access-control-allow-origin'], ORIGIN, 'the preflight too');
  const refused = await app.inject({ url: `/app/me/`, headers: { origin: 'https://evil.test' } });
  t.equal(refused.statusCode, 403);
  t.equal(refused.headers['access-control-allow-origin'], undefined);
  const apiCors = await app.inject({ url: '/oauth2/authorize', headers: { origin: ORIGIN } });
  t.equal(apiCors.headers['access-control-allow-origin'], undefined, 'no CORS on the authorization endpoint (RFC 9700 §2.6)');
});
