import t from 'tap';
import {
  API_KEY,
  apiHeaders,
  APP,
  buildEmptyApp,
  buildGrantApp,
  exchange,
  loginThroughForm,
  movableClock,
  REDIRECT,
  refresh,
  SECRET,
  USER,
} from '../helpers/fixtures.js';
import { redactUrl, requestLogLine } from '../../src/http/redact-url.js';

const INSPECT = '/_standin/inspect';
const withKey = `${INSPECT}?key=${encodeURIComponent(API_KEY)}`;

/** A Standin with one logged-in user: an SSO session, and a OneTimeUse refresh token family rotated twice. */
async function withLogin(t: Parameters<typeof buildEmptyApp>[0]) {
  const clock = movableClock();
  const app = await buildGrantApp(t, { now: clock.now, jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  const login = await loginThroughForm(
    app,
    { client_id: APP, redirect_uri: REDIRECT, scope: 'openid offline_access', state: 's' },
    { loginId: 'richard@example.com', password: 'password1' },
  );
  const code = new URL(login.location!).searchParams.get('code')!;
  const first = (await exchange(app, code)).json();
  const second = (await refresh(app, first.refresh_token)).json();
  const third = (await refresh(app, second.refresh_token)).json();
  return {
    app,
    clock,
    tokens: third as { access_token: string; refresh_token: string; refresh_token_id: string; id_token: string },
    values: [first, second, third],
  };
}

function decode(app: Awaited<ReturnType<typeof buildEmptyApp>>, token: string, url = withKey) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token }).toString(),
  });
}

t.test('the inspect page is behind the control guard: the flag, then a global API key', async (t) => {
  const off = await buildEmptyApp(t, { host: '0.0.0.0' });
  t.equal((await off.inject(withKey)).statusCode, 404, 'off beyond loopback by default: as if there were no page');
  const switchedOff = await buildEmptyApp(t, { control: false });
  t.equal((await switchedOff.inject(withKey)).statusCode, 404, 'off when the control flag says so');
  const forced = await buildEmptyApp(t, { host: '0.0.0.0', control: true });
  t.equal((await forced.inject(withKey)).statusCode, 200, 'on beyond loopback when asked for');

  const app = await buildEmptyApp(t);
  const none = await app.inject(INSPECT);
  t.equal(none.statusCode, 401);
  t.match(none.body, /<label for="key">API key<\/label>/, 'a form to give the key');
  t.notMatch(none.body, /Applications|richard/);
  const wrong = await app.inject(`${INSPECT}?key=nope`);
  t.equal(wrong.statusCode, 401);
  t.match(wrong.body, /not a global API key/);
  t.equal((await app.inject(withKey)).statusCode, 200, 'the key as ?key=');
  t.equal((await app.inject({ url: INSPECT, headers: apiHeaders() })).statusCode, 200, 'the key in Authorization, as /api takes it');
  t.equal(
    (await app.inject({ method: 'POST', url: INSPECT, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=x.y.z' }))
      .statusCode,
    401,
    'the decoder too',
  );

  const tenantKey = await buildEmptyApp(t, {
    kickstart: {
      variables: {},
      apiKeys: [{ key: API_KEY }, { key: 'tenant-bound-key-0123456789-abcdefghijklmnopqrstuvwxyz', tenantId: '#{FUSIONAUTH_TENANT_ID}' }],
      requests: [],
    },
  });
  t.equal(
    (await tenantKey.inject(`${INSPECT}?key=tenant-bound-key-0123456789-abcdefghijklmnopqrstuvwxyz`)).statusCode,
    401,
    'a key bound to a tenant does not open it',
  );
});

t.test('the ?key= never reaches the log', async (t) => {
  const app = await buildEmptyApp(t);
  t.equal(redactUrl(`/_standin/inspect?key=${API_KEY}&x=1`), '/_standin/inspect?key=[redacted]&x=1');
  t.equal(redactUrl(`/_standin/inspect?a=1&KEY=${API_KEY}`), '/_standin/inspect?a=1&KEY=[redacted]');
  t.equal(redactUrl(`/_standin/inspect?k%65y=${API_KEY}`), '/_standin/inspect?k%65y=[redacted]', 'the name is decoded first');
  t.equal(redactUrl(`/%5fstandin/inspect?key=${API_KEY}`), '/%5fstandin/inspect?key=[redacted]', 'whatever the path');
  t.equal(redactUrl('/api/jwt/public-key?kid=abc'), '/api/jwt/public-key?kid=abc', 'what is not secret stays');
  t.equal(
    redactUrl('/api/user/change-password/s3cret-id?ipAddress=1.2.3.4'),
    '/api/user/change-password/[redacted]?ipAddress=1.2.3.4',
    'a changePasswordId in the path',
  );
  t.equal(redactUrl('/api/user?changePasswordId=s3cret-id'), '/api/user?changePasswordId=[redacted]', 'a changePasswordId in the query');
  // The app's logger serializes requests with requestLogLine (pino keeps serializers under this symbol).
  const serializers = (app.log as unknown as Record<symbol, { req?: unknown }>)[Symbol.for('pino.serializers')];
  t.equal(serializers?.req, requestLogLine, "the logger's request serializer");
  const response = await app.inject(withKey);
  t.equal(response.statusCode, 200);
  const line = requestLogLine({ method: 'GET', url: response.raw.req.url, host: 'localhost:9011', ip: '127.0.0.1' } as never);
  t.notMatch(JSON.stringify(line), new RegExp(API_KEY));
  t.match(line.url, /key=\[redacted\]/);
});

t.test('applications, users and registrations, live SSO sessions and refresh token families, with nothing secret', async (t) => {
  const { app, tokens, values } = await withLogin(t);
  const response = await app.inject(withKey);
  t.equal(response.statusCode, 200);
  t.equal(response.headers['cache-control'], 'no-store');
  t.match(response.headers['content-security-policy'], /script-src 'self'/);
  const html = response.body;
  t.match(html, /<h3>store<\/h3>/);
  t.match(html, new RegExp(APP));
  t.match(html, /<h3>richard@example\.com<\/h3>/);
  t.match(html, /<li>store \[user\]<\/li>/, 'a registration with its roles');
  t.match(html, /<h3>monica@example\.com<\/h3>[\s\S]*?none/, 'a user registered nowhere');

  const session = app.standin.control.sessions()[0]!;
  t.match(html, new RegExp(`<code>${session.id}</code>`), 'the live SSO session');
  t.match(html, /Live SSO sessions \(1\)/);
  const family = app.standin.control.refreshTokens()[0]!;
  t.equal(family.id, tokens.refresh_token_id);
  t.match(html, new RegExp(`<code>${family.id}</code>`), 'the refresh token family');
  t.match(html, /<dt>Rotations<\/dt><dd>2<\/dd>/, 'rotated twice');
  t.match(html, /<dt>Created<\/dt><dd>2026-01-01 00:00:00Z<\/dd>/);

  for (const [name, secret] of [
    ['the client secret', SECRET],
    ['the API key', API_KEY],
    ['a password hash', '$argon2'],
    ...values.flatMap((value, i) => [
      [`refresh token ${i}`, value.refresh_token],
      [`access token ${i}`, value.access_token],
      [`id token ${i}`, value.id_token],
    ]),
  ] as Array<[string, string]>) {
    t.notOk(html.includes(secret), `no ${name}`);
  }
  t.notMatch(html, /<script/i, 'no script');
  t.notMatch(html, /style=/, 'no inline style');
});

t.test('an expired SSO session is not listed; an expired refresh token is marked', async (t) => {
  const { app, clock } = await withLogin(t);
  clock.advance(2 * 3600 * 1000);
  const html = (await app.inject(withKey)).body;
  t.match(html, /Live SSO sessions \(0\)/);
  clock.advance(60 * 24 * 3600 * 1000);
  t.match((await app.inject(withKey)).body, /<span class="tag bad">expired<\/span><\/h3>/);
});

t.test('values are escaped', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await app.inject({
    method: 'POST',
    url: '/api/user',
    headers: apiHeaders({ 'content-type': 'application/json' }),
    payload: JSON.stringify({ user: { username: '<img src=x onerror=alert(1)>', password: 'password123' } }),
  });
  t.equal(response.statusCode, 200);
  const html = (await app.inject(withKey)).body;
  t.notMatch(html, /<img src=x/);
  t.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

t.test("the JWT decoder shows header and claims, whether Standin's keys verify it, and whether it expired", async (t) => {
  const { app, clock, tokens } = await withLogin(t);
  const good = await decode(app, tokens.access_token);
  t.equal(good.statusCode, 200);
  t.match(good.body, /<span class="tag ok">verified<\/span> with/);
  t.match(good.body, /<span class="tag ok">not expired<\/span>/);
  t.match(good.body, /&quot;sub&quot;: &quot;dddddddd-1111-4000-8000-000000000001&quot;/, 'the claims, escaped');
  t.match(good.body, /&quot;kid&quot;/, 'the header');
  t.match(good.body, new RegExp(USER));
  t.notOk(good.body.includes(tokens.access_token), 'the token is not echoed back');

  clock.advance(2 * 3600 * 1000);
  const expired = await decode(app, tokens.access_token);
  t.match(expired.body, /<span class="tag ok">verified<\/span>/, 'still verifies with the key');
  t.match(expired.body, /<span class="tag bad">expired<\/span>/);

  const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string];
  const forgedClaims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' };
  const forged = await decode(app, `${header}.${Buffer.from(JSON.stringify(forgedClaims)).toString('base64url')}.${signature}`);
  t.match(forged.body, /<span class="tag bad">not verified<\/span>/, 'an edited token does not verify');
  t.match(forged.body, /someone-else/);

  const garbage = await decode(app, 'not a jwt');
  t.equal(garbage.statusCode, 200);
  t.match(garbage.body, /Not a JWT/);
  const html = await decode(
    app,
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"x":"<script>alert(1)</script>"}').toString('base64url')}.`,
  );
  t.notMatch(html.body, /<script>alert/);
  t.match(html.body, /not verified/);
  t.equal((await decode(app, 'a'.repeat(20_000))).statusCode, 400, 'a token far larger than a JWT is refused');
});
