import t, { type Test } from 'tap';
import { buildApp, type StandinApp } from '../../src/app.js';
import { defaultSeed } from '../../src/seed/default-seed.js';
import {
  APP,
  buildGrantApp,
  hiddenFields,
  injectAsBrowserAtBaseUrl,
  loginThroughForm,
  pkce,
  QUICKSTART_APP,
  REDIRECT,
  T0,
} from '../helpers/fixtures.js';

// The two attacks on the hosted backend (docs/hardening-hosted-backend.md): login CSRF through a planted
// /app/callback link (RFC 6749 §10.12, RFC 9700 §4.7), and Standin's own callback answered on any
// loopback port (RFC 8252 §7.3 is for the application's own redirect URIs only).

const RETURN_TO = 'http://localhost:3000';
const OWN_CALLBACK = 'http://localhost:9011/app/callback';
const ATTACKER = 'mallory@example.com';

/** The default seed (the quickstart application and richard@example.com), plus the attacker's own account. */
async function build(t: Test): Promise<StandinApp> {
  const seed = defaultSeed();
  const attacker = {
    url: '/api/user/registration',
    body: { user: { email: ATTACKER, password: 'password' }, registration: { applicationId: QUICKSTART_APP } },
  };
  const app = await buildApp({
    db: ':memory:',
    logLevel: 'silent',
    passwordHashing: 'fast',
    now: () => T0,
    kickstart: { ...seed, requests: [...(seed.requests ?? []), attacker] },
  });
  t.teardown(() => app.close());
  injectAsBrowserAtBaseUrl(app);
  return app;
}

type Cookies = { name: string; value: string; maxAge?: number; path?: string; httpOnly?: boolean; sameSite?: string; domain?: string }[];
const cookie = (response: { cookies: Cookies }, name: string) => response.cookies.find((c) => c.name === name);

/** Posts the hosted login page that `authorizeUrl` shows, with the given credentials; returns the 302's Location. */
async function logInAt(app: StandinApp, authorizeUrl: string, loginId: string): Promise<string> {
  const page = await app.inject(authorizeUrl);
  if (page.statusCode !== 200) throw new Error(`login page ${page.statusCode}: ${page.body.slice(0, 200)}`);
  const posted = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    cookies: { 'standin.csrf': cookie(page, 'standin.csrf')!.value },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), loginId, password: 'password' }).toString(),
  });
  if (posted.statusCode !== 302) throw new Error(`login POST ${posted.statusCode}: ${posted.body.slice(0, 200)}`);
  return posted.headers.location as string;
}

/** The victim's browser follows a link to /app/callback, holding whatever cookies it has; then asks /app/me. */
async function victimFollows(app: StandinApp, link: string, cookies: Record<string, string> = {}) {
  const url = new URL(link);
  const callback = await app.inject({ url: url.pathname + url.search, cookies });
  const at = cookie(callback, 'app.at');
  const me = await app.inject({ url: '/app/me', cookies: at && at.value ? { 'app.at': at.value } : {} });
  return { callback, me };
}

t.test('login CSRF: a planted /app/callback link with a hand-made state and a code issued without PKCE does not log the victim in', async (t) => {
  const app = await build(t);
  // The attacker logs in as themselves with Standin's callback and a state they made, and stops at the 302.
  const handMade = Buffer.from(JSON.stringify({ clientId: QUICKSTART_APP, redirectUri: RETURN_TO, state: '/' })).toString('base64url');
  const authorize = `/oauth2/authorize?${new URLSearchParams({ client_id: QUICKSTART_APP, redirect_uri: OWN_CALLBACK, response_type: 'code', scope: 'openid offline_access', state: handMade })}`;
  const planted = await logInAt(app, authorize, ATTACKER);
  t.match(planted, /^http:\/\/localhost:9011\/app\/callback\?code=/, 'the attacker holds a callback link');

  const { callback, me } = await victimFollows(app, planted);
  t.equal(callback.statusCode, 400, 'the callback refuses it');
  t.equal(callback.headers.location, undefined, 'no redirect');
  t.notOk(cookie(callback, 'app.at')?.value, 'no token cookies');
  t.equal(me.statusCode, 401, '/app/me: the victim is not logged in as the attacker');

  // A victim who has a login of her own pending (her /app/login cookie) is no better target.
  const again = await logInAt(app, authorize, ATTACKER);
  const pending = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=mine`);
  const verifier = cookie(pending, 'app.pkce_v')!.value;
  const withPending = await victimFollows(app, again, { 'app.pkce_v': verifier });
  t.equal(withPending.callback.statusCode, 400, 'refused with a pending login of her own too');
  t.equal(withPending.me.statusCode, 401);
});

t.test("login CSRF: an /app/login flow the attacker started in their own browser does not complete in the victim's", async (t) => {
  const app = await build(t);
  const start = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=attacker&scope=openid%20email`);
  const planted = await logInAt(app, start.headers.location as string, ATTACKER);
  const attackerCookie = cookie(start, 'app.pkce_v')!.value;

  const bare = await victimFollows(app, planted);
  t.equal(bare.callback.statusCode, 400, 'no cookie: refused');
  t.equal(bare.me.statusCode, 401);
  const victimStart = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=victim`);
  const other = await victimFollows(app, planted, { 'app.pkce_v': cookie(victimStart, 'app.pkce_v')!.value });
  t.equal(other.callback.statusCode, 400, "the victim's own cookie: refused");
  t.equal(other.me.statusCode, 401);

  // The attacker's own browser, with its cookie, still completes its own login: the flow works.
  const own = await victimFollows(app, planted, { 'app.pkce_v': attackerCookie });
  t.equal(own.callback.statusCode, 302);
  t.equal(own.me.json().email, ATTACKER);
});

t.test('the login cookie: HttpOnly, SameSite=Lax, Path=/app, host-only, short-lived, cleared by the callback, and one use', async (t) => {
  const app = await build(t);
  const start = await app.inject(
    `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=${encodeURIComponent('/cart?x=1')}`,
  );
  const set = cookie(start, 'app.pkce_v')!;
  t.match(set, { httpOnly: true, sameSite: 'Lax', path: '/app', maxAge: 600 });
  t.equal(set.domain, undefined, 'host-only');
  const link = await logInAt(app, start.headers.location as string, 'richard@example.com');
  const first = await victimFollows(app, link, { 'app.pkce_v': set.value });
  t.equal(first.callback.statusCode, 302);
  t.equal(new URL(first.callback.headers.location as string).searchParams.get('state'), '/cart?x=1', "the SDK's state round-trips");
  const cleared = cookie(first.callback, 'app.pkce_v')!;
  t.match(cleared, { maxAge: 0, path: '/app' }, 'cleared where it was set');
  const replay = await victimFollows(app, link, { 'app.pkce_v': set.value });
  t.equal(replay.callback.statusCode, 400, 'the same callback a second time: refused');
});

t.test('the callback refuses a state whose binding was altered, even with the right cookie', async (t) => {
  const app = await build(t);
  const start = await app.inject(`/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent(RETURN_TO)}&state=s`);
  const link = new URL(await logInAt(app, start.headers.location as string, 'richard@example.com'));
  const state = JSON.parse(Buffer.from(link.searchParams.get('state')!, 'base64url').toString('utf8')) as Record<string, unknown>;
  link.searchParams.set('state', Buffer.from(JSON.stringify({ ...state, redirectUri: `${RETURN_TO}/logged-out` })).toString('base64url'));
  const { callback } = await victimFollows(app, link.href, { 'app.pkce_v': cookie(start, 'app.pkce_v')!.value });
  t.equal(callback.statusCode, 400);
  t.equal(callback.headers.location, undefined);
});

t.test("Standin's own callback: a loopback URL on another port is not a redirect_uri of an application that registered only https", async (t) => {
  const app = await buildGrantApp(t, {
    oauth: { clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE', proofKeyForCodeExchangePolicy: 'Required' },
  });
  // The victim has an SSO session at Standin.
  const victim = pkce();
  const login = await loginThroughForm(
    app,
    { client_id: APP, redirect_uri: REDIRECT, scope: 'openid', code_challenge: victim.challenge, code_challenge_method: 'S256' },
    { loginId: 'richard@example.com', password: 'password1' },
  );
  t.ok(login.sso, 'the victim has an SSO session');
  // Another local user bound port 4444 and sends the victim a link with their own PKCE challenge.
  const attacker = pkce();
  const link = (redirectUri: string) =>
    `/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: attacker.challenge, code_challenge_method: 'S256' })}`;
  for (const stolen of [
    'http://localhost:4444/app/callback',
    'http://127.0.0.1:4444/app/callback',
    'http://[::1]:4444/app/callback',
    'http://localhost/app/callback',
    'http://LOCALHOST:9012/app/callback',
  ]) {
    const response = await app.inject({ url: link(stolen), cookies: { 'fusionauth.sso': login.sso! } });
    t.equal(response.statusCode, 400, `${stolen}: refused`);
    t.equal(response.headers.location, undefined, `${stolen}: no redirect`);
    const code = typeof response.headers.location === 'string' ? new URL(response.headers.location).searchParams.get('code') : null;
    if (code) {
      const tokens = await app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: APP,
          code,
          redirect_uri: stolen,
          code_verifier: attacker.verifier,
        }).toString(),
      });
      t.not(tokens.statusCode, 200, `${stolen}: the attacker redeemed the victim's code with their own verifier`);
    }
  }
  // Standin's own callback, at its own address, is still accepted.
  const own = await app.inject({ url: link(OWN_CALLBACK), cookies: { 'fusionauth.sso': login.sso! } });
  t.equal(own.statusCode, 302);
  t.match(own.headers.location, /^http:\/\/localhost:9011\/app\/callback\?code=/);
  // And at the origin this request came to (a browser at 127.0.0.1:9011), as discovery does.
  const viaIp = await app.inject({
    url: link('http://127.0.0.1:9011/app/callback'),
    headers: { host: '127.0.0.1:9011' },
    cookies: { 'fusionauth.sso': login.sso! },
  });
  t.equal(viaIp.statusCode, 302);
  t.match(viaIp.headers.location, /^http:\/\/127\.0\.0\.1:9011\/app\/callback\?code=/);
});

t.test('the loopback any-port rule stays for redirect URIs an application registered itself', async (t) => {
  const app = await buildGrantApp(t, { oauth: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } });
  const response = await app.inject(
    `/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: 'http://localhost:5173/callback', response_type: 'code' })}`,
  );
  t.equal(response.statusCode, 200, 'the login page, for another port of a registered loopback URI');
  const elsewhere = await app.inject(
    `/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: 'http://localhost:5173/app/callback', response_type: 'code' })}`,
  );
  t.equal(elsewhere.statusCode, 400, 'but not /app/callback on that port');
});
