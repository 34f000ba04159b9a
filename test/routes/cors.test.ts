import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { CORS_DEFAULTS } from '../../src/cors/policy.js';
import type { JsonObject } from '../../src/model/json.js';
import { API_KEY, apiHeaders, buildEmptyApp, TENANT_ID, testKickstart } from '../helpers/fixtures.js';
import { control } from '../helpers/control.js';

const SPA = 'http://127.0.0.1:5173';
const EVIL = 'https://evil.test';
// The origin injected requests reach Standin at (test/helpers/build.ts): its own.
const SELF = 'http://localhost:9011';
const APP_ID = 'cccccccc-3333-4000-8000-000000000003';
const APP_ORIGIN = 'http://localhost:4200';

interface Call {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
}

// Every family the filter covers, each with a request a browser app would make.
const COVERED: Call[] = [
  { name: 'discovery', method: 'GET', url: '/.well-known/openid-configuration' },
  { name: 'discovery by ?tenantId=', method: 'GET', url: `/.well-known/openid-configuration?tenantId=${TENANT_ID}` },
  { name: 'discovery by /{tenantId}/ prefix', method: 'GET', url: `/${TENANT_ID}/.well-known/openid-configuration` },
  { name: 'discovery by /{tenantId} suffix', method: 'GET', url: `/.well-known/openid-configuration/${TENANT_ID}` },
  { name: 'JWKS', method: 'GET', url: '/.well-known/jwks.json' },
  {
    name: 'token',
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=authorization_code&code=nope&client_id=x',
  },
  { name: 'userinfo', method: 'GET', url: '/oauth2/userinfo', headers: { authorization: 'Bearer nope' } },
  {
    name: 'introspect',
    method: 'POST',
    url: '/oauth2/introspect',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'token=nope&client_id=x',
  },
  { name: 'logout', method: 'GET', url: '/oauth2/logout' },
  { name: '/api status', method: 'GET', url: '/api/status' },
  { name: '/api with a key', method: 'GET', url: '/api/system-configuration', headers: { authorization: API_KEY } },
  {
    name: '/api login',
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/json' },
    payload: { loginId: 'nobody@example.com', password: 'x' },
  },
  { name: 'hosted backend', method: 'GET', url: '/app/me/' },
  { name: 'an unknown path', method: 'GET', url: '/nothing-here' },
];

// FusionAuth's excluded paths, the authorization endpoint (RFC 9700 §2.6) and the control API.
const OUTSIDE: Call[] = [
  { name: '/account', method: 'GET', url: '/account/' },
  { name: '/admin', method: 'GET', url: '/admin/system-configuration' },
  { name: '/support', method: 'GET', url: '/support' },
  { name: '/ajax', method: 'GET', url: '/ajax/user' },
  { name: 'authorize', method: 'GET', url: '/oauth2/authorize?client_id=x&response_type=code' },
  { name: 'control API', method: 'GET', url: '/_standin/clock', headers: { authorization: API_KEY } },
];

const CORS_CONFIGURATION = {
  enabled: true,
  allowCredentials: true,
  allowedMethods: ['GET', 'POST', 'OPTIONS'],
  allowedOrigins: [SPA],
  exposedHeaders: ['X-Standin-Fault'],
  preflightMaxAgeInSeconds: 600,
};

async function buildCors(t: Test, corsConfiguration?: object): Promise<StandinApp> {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      ...(corsConfiguration
        ? [{ method: 'PATCH' as const, url: '/api/system-configuration', body: { systemConfiguration: { corsConfiguration } } }]
        : []),
      {
        url: `/api/application/${APP_ID}`,
        body: {
          application: { name: 'SDK app', oauthConfiguration: { authorizedRedirectURLs: [`${APP_ORIGIN}/`], authorizedOriginURLs: [APP_ORIGIN] } },
        },
      },
    ]),
  });
  return app;
}

async function setCors(app: StandinApp, corsConfiguration: object | null): Promise<void> {
  const response = await app.inject({
    method: 'PUT',
    url: '/api/system-configuration',
    headers: apiHeaders(),
    payload: { systemConfiguration: corsConfiguration ? { corsConfiguration } : {} },
  });
  if (response.statusCode !== 200) throw new Error(`PUT /api/system-configuration: ${response.statusCode} ${response.body}`);
}

function send(app: StandinApp, call: Call, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: call.method,
    url: call.url,
    headers: { ...call.headers, ...headers },
    ...(call.payload === undefined ? {} : { payload: call.payload }),
  });
}

function preflight(app: StandinApp, url: string, origin: string, method = 'GET', requestHeaders?: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}) },
  });
}

function corsHeaders(response: LightMyRequestResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
}

function varies(response: LightMyRequestResponse): string[] {
  return (response.headers.vary ?? '').split(',').map((name) => name.trim().toLowerCase());
}

/** The preflight method a browser would send for this call, and the headers it would name. */
function preflightOf(call: Call): [string, string | undefined] {
  const names = Object.keys(call.headers ?? {}).filter(
    (name) => name !== 'content-type' || !String(call.headers?.[name]).startsWith('application/x-www-form-urlencoded'),
  );
  return [call.method, names.length > 0 ? names.join(',') : undefined];
}

t.test('every covered path family: an allowed origin gets the headers, another gets 403 with none, for the request and its preflight', async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  for (const call of COVERED) {
    const plain = await send(app, call);
    const allowed = await send(app, call, { origin: SPA });
    t.equal(allowed.statusCode, plain.statusCode, `${call.name}: an allowed origin gets what a request without Origin gets`);
    t.equal(allowed.headers['access-control-allow-origin'], SPA, `${call.name}: Access-Control-Allow-Origin is the origin`);
    t.equal(allowed.headers['access-control-allow-credentials'], 'true', `${call.name}: with credentials`);
    t.equal(allowed.headers['access-control-expose-headers'], 'X-Standin-Fault', `${call.name}: exposed headers`);
    t.ok(varies(allowed).includes('origin'), `${call.name}: Vary: Origin`);
    t.ok(varies(plain).includes('origin'), `${call.name}: Vary: Origin without Origin too, as the answer depends on it`);
    t.same(corsHeaders(plain), [], `${call.name}: no CORS header without Origin`);

    const refused = await send(app, call, { origin: EVIL });
    t.equal(refused.statusCode, 403, `${call.name}: another origin is refused`);
    t.same(corsHeaders(refused), [], `${call.name}: the 403 has no CORS header`);
    t.ok(varies(refused).includes('origin'), `${call.name}: the 403 varies by Origin`);

    const [method, requestHeaders] = preflightOf(call);
    const answered = await preflight(app, call.url, SPA, method, requestHeaders);
    t.equal(answered.statusCode, 204, `${call.name}: the preflight is answered`);
    t.equal(answered.body, '', `${call.name}: with no body`);
    t.equal(answered.headers['access-control-allow-origin'], SPA);
    t.equal(answered.headers['access-control-allow-credentials'], 'true');
    t.equal(answered.headers['access-control-allow-methods'], method, `${call.name}: the method asked for`);
    t.equal(answered.headers['access-control-allow-headers'], CORS_DEFAULTS.allowedHeaders.join(', '), `${call.name}: the default allowed headers`);
    t.equal(answered.headers['access-control-max-age'], '600');
    t.same(varies(answered), ['origin', 'access-control-request-method', 'access-control-request-headers']);
    const refusedPreflight = await preflight(app, call.url, EVIL, method, requestHeaders);
    t.equal(refusedPreflight.statusCode, 403, `${call.name}: a preflight from another origin is refused`);
    t.same(corsHeaders(refusedPreflight), []);
  }
});

t.test('the excluded paths, the authorization endpoint and the control API never answer CORS, and never refuse an origin', async (t) => {
  const app = await buildCors(t, { ...CORS_CONFIGURATION, allowedOrigins: ['*'] });
  for (const call of OUTSIDE) {
    const plain = await send(app, call);
    for (const origin of [SPA, EVIL]) {
      const response = await send(app, call, { origin });
      t.equal(response.statusCode, plain.statusCode, `${call.name} from ${origin}: what a request without Origin gets`);
      t.same(corsHeaders(response), [], `${call.name} from ${origin}: no CORS header`);
    }
    const answered = await preflight(app, call.url, SPA, 'GET', call.headers ? Object.keys(call.headers).join(',') : undefined);
    t.not(answered.statusCode, 200, `${call.name}: no preflight answer`);
    t.same(corsHeaders(answered), [], `${call.name}: no CORS header on the preflight`);
  }
});

t.test("with corsConfiguration unset (FusionAuth's default) or disabled the filter adds and refuses nothing", async (t) => {
  const app = await buildCors(t);
  for (const configuration of [undefined, { ...CORS_CONFIGURATION, enabled: false }]) {
    if (configuration) await setCors(app, configuration);
    for (const call of COVERED.filter((call) => !call.url.startsWith('/app/'))) {
      const plain = await send(app, call);
      const response = await send(app, call, { origin: EVIL });
      t.equal(response.statusCode, plain.statusCode, `${call.name}: not refused`);
      t.same(corsHeaders(response), [], `${call.name}: no CORS header`);
      t.same(corsHeaders(await send(app, call, { origin: SPA })), [], `${call.name}: not even for an origin the disabled configuration lists`);
      const answered = await preflight(app, call.url, SPA);
      t.same(corsHeaders(answered), [], `${call.name}: no preflight answer`);
    }
  }
});

t.test("fields left unset take FusionAuth's defaults", async (t) => {
  const app = await buildCors(t, { enabled: true, allowedOrigins: [SPA] });
  const answered = await preflight(app, '/oauth2/userinfo', SPA, 'GET', 'authorization');
  t.equal(answered.statusCode, 204);
  t.equal(answered.headers['access-control-allow-origin'], SPA);
  t.equal(answered.headers['access-control-allow-credentials'], undefined, 'allowCredentials defaults to false');
  t.equal(answered.headers['access-control-allow-methods'], 'GET');
  t.equal(
    answered.headers['access-control-allow-headers'],
    'Accept, Access-Control-Request-Headers, Access-Control-Request-Method, Authorization, Content-Type, Last-Modified, Origin, X-FusionAuth-TenantId, X-Requested-With',
  );
  t.equal(answered.headers['access-control-max-age'], '1800');
  const actual = await app.inject({ url: '/.well-known/jwks.json', headers: { origin: SPA } });
  t.equal(actual.headers['access-control-expose-headers'], 'Access-Control-Allow-Origin, Access-Control-Allow-Credentials');
  t.equal(actual.headers['access-control-allow-credentials'], undefined);
  // GET and OPTIONS only: a POST from an allowed origin is refused, and its preflight too.
  t.equal(
    (
      await send(
        app,
        COVERED.find((call) => call.name === 'token')!,
        { origin: SPA },
      )
    ).statusCode,
    403,
    'POST is not an allowed method by default',
  );
  t.equal((await preflight(app, '/oauth2/token', SPA, 'POST')).statusCode, 403);
  t.equal((await preflight(app, '/oauth2/token', SPA, 'PUT')).statusCode, 403);
});

t.test('a preflight naming a header not in allowedHeaders is refused; the match ignores case', async (t) => {
  const app = await buildCors(t, { ...CORS_CONFIGURATION, allowedHeaders: ['Authorization', 'Content-Type'] });
  t.equal((await preflight(app, '/api/user', SPA, 'GET', 'AUTHORIZATION,content-type')).statusCode, 204);
  t.equal((await preflight(app, '/api/user', SPA, 'GET', 'authorization, x-fusionauth-tenantid')).statusCode, 403);
  t.equal((await preflight(app, '/api/user', SPA, 'GET', ' ,authorization, ')).statusCode, 204, 'empty items are no header');
  t.equal((await preflight(app, '/api/user', SPA, 'DELETE')).statusCode, 403, 'a method not allowed');
  t.equal((await preflight(app, '/api/user', SPA, 'get')).statusCode, 403, 'methods are case-sensitive (Fetch standard)');
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/api/user/x', headers: { origin: SPA, authorization: API_KEY } })).statusCode,
    403,
    'the request itself too',
  );
});

t.test('apps without an http origin (Ionic, browser extensions, Tauri) are allowed when listed, refused when not', async (t) => {
  const listed = ['capacitor://localhost', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'tauri://localhost'];
  const app = await buildCors(t, { ...CORS_CONFIGURATION, allowedOrigins: listed });
  for (const origin of listed) {
    const answered = await preflight(app, '/oauth2/token', origin, 'POST');
    t.equal(answered.statusCode, 204, `${origin}: the preflight`);
    t.equal(answered.headers['access-control-allow-origin'], origin);
    const discovery = await app.inject({ url: '/.well-known/openid-configuration', headers: { origin } });
    t.equal(discovery.statusCode, 200, `${origin}: discovery`);
    t.equal(discovery.headers['access-control-allow-origin'], origin);
  }
  t.equal(
    (await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: 'ionic://localhost' } })).statusCode,
    403,
    'one not listed',
  );
  for (const origin of ['capacitor://', 'capacitor://user@localhost', 'capacitor://localhost/path'])
    t.equal((await app.inject({ url: '/.well-known/openid-configuration', headers: { origin } })).statusCode, 403, `not an origin: ${origin}`);
});

t.test('allowedOrigins `*`: any origin; `*` itself without credentials, the origin with them', async (t) => {
  const app = await buildCors(t, { enabled: true, allowedOrigins: ['*'] });
  const any = await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: EVIL } });
  t.equal(any.statusCode, 200);
  t.equal(any.headers['access-control-allow-origin'], '*');
  t.equal(any.headers['access-control-allow-credentials'], undefined);
  await setCors(app, { enabled: true, allowedOrigins: ['*'], allowCredentials: true });
  const withCredentials = await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: EVIL } });
  t.equal(withCredentials.headers['access-control-allow-origin'], EVIL, 'never `*` with credentials (Fetch standard)');
  t.equal(withCredentials.headers['access-control-allow-credentials'], 'true');
  t.ok(varies(withCredentials).includes('origin'));
});

t.test('a change through the System Configuration API applies to the next request', async (t) => {
  const app = await buildCors(t);
  const fetchDiscovery = () => app.inject({ url: '/.well-known/openid-configuration', headers: { origin: SPA } });
  t.equal((await fetchDiscovery()).headers['access-control-allow-origin'], undefined);
  await setCors(app, CORS_CONFIGURATION);
  t.equal((await fetchDiscovery()).headers['access-control-allow-origin'], SPA, 'after PUT');
  const patched = await app.inject({
    method: 'PATCH',
    url: '/api/system-configuration',
    headers: apiHeaders(),
    payload: { systemConfiguration: { corsConfiguration: { allowedOrigins: ['http://other.test'] } } },
  });
  t.equal(patched.statusCode, 200);
  t.equal((await fetchDiscovery()).statusCode, 403, 'after PATCH the origin is no longer allowed');
  t.equal(
    (await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: 'http://other.test' } })).headers['access-control-allow-origin'],
    'http://other.test',
  );
  await app.inject({
    method: 'PATCH',
    url: '/api/system-configuration',
    headers: apiHeaders(),
    payload: { systemConfiguration: { corsConfiguration: { enabled: false } } },
  });
  t.equal((await fetchDiscovery()).statusCode, 200, 'disabled: nothing refused');
});

t.test("same-origin requests, requests without Origin and the hosted pages' own posts are not CORS", async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  const token = COVERED.find((call) => call.name === 'token')!;
  const plain = await send(app, token);
  const sameOrigin: Record<string, string>[] = [
    {},
    { origin: SELF },
    { origin: 'HTTP://LOCALHOST:9011' },
    { origin: EVIL, 'sec-fetch-site': 'same-origin' },
    { origin: 'null' },
  ];
  for (const headers of sameOrigin) {
    const response = await send(app, token, headers);
    t.equal(response.statusCode, plain.statusCode, `${JSON.stringify(headers)}: not refused`);
    t.same(corsHeaders(response), [], `${JSON.stringify(headers)}: no CORS header`);
  }
  t.equal(
    (await app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'standin:9011', origin: 'http://standin:9011' } })).statusCode,
    200,
    'the origin the request came to is its own',
  );
  const nullPreflight = await preflight(app, '/oauth2/token', 'null', 'POST');
  t.equal(nullPreflight.statusCode, 403, 'a preflight from an opaque origin is refused');
  t.same(corsHeaders(nullPreflight), []);
  for (const origin of ['https://spa.test/path', 'http://a b', 'not an origin', `${SPA}\r\nx: y`.replace(/[\r\n]/g, '')]) {
    t.equal((await app.inject({ url: '/.well-known/jwks.json', headers: { origin } })).statusCode, 403, `${JSON.stringify(origin)} is not an origin`);
  }
  const otherPort = await app.inject({ url: '/.well-known/jwks.json', headers: { origin: 'http://localhost:9012' } });
  t.equal(otherPort.statusCode, 403, 'another port is another origin');
});

t.test('the login form post with Origin: null still logs in', async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  const page = await app.inject(
    `/oauth2/authorize?client_id=${APP_ID}&response_type=code&redirect_uri=${encodeURIComponent(`${APP_ORIGIN}/`)}&scope=openid`,
  );
  t.equal(page.statusCode, 200);
  // The post's own rules (login CSRF) answer, not CORS: a wrong password re-renders the form.
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  const fields = Object.fromEntries(
    [...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]!.replace(/&amp;/g, '&')]),
  );
  const posted = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    cookies: { 'standin.csrf': csrf },
    headers: { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...fields, loginId: 'nobody@example.com', password: 'wrong' }).toString(),
  });
  t.not(posted.statusCode, 403, 'not refused by CORS or CSRF');
  t.same(corsHeaders(posted), []);
});

t.test('discovery keeps its own Vary next to Origin', async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  const response = await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: SPA } });
  t.same(varies(response), ['host', 'x-forwarded-host', 'x-forwarded-proto', 'origin']);
});

t.test("a route's own error keeps the CORS headers, so the browser app can read it", async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  const response = await send(
    app,
    COVERED.find((call) => call.name === 'token')!,
    { origin: SPA },
  );
  t.equal(response.statusCode, 401);
  t.equal(response.json().error, 'invalid_client');
  t.equal(response.headers['access-control-allow-origin'], SPA);
  const userinfo = await send(
    app,
    COVERED.find((call) => call.name === 'userinfo')!,
    { origin: SPA },
  );
  t.equal(userinfo.statusCode, 401);
  t.equal(userinfo.headers['access-control-allow-origin'], SPA);
});

t.test("the hosted backend also lets in the applications' authorizedOriginURLs, with credentials, even with the filter off", async (t) => {
  const app = await buildCors(t);
  const me = await app.inject({ url: '/app/me/', headers: { origin: APP_ORIGIN } });
  t.equal(me.statusCode, 401, 'the request reaches /app/me');
  t.equal(me.headers['access-control-allow-origin'], APP_ORIGIN);
  t.equal(me.headers['access-control-allow-credentials'], 'true');
  const refresh = await preflight(app, `/app/refresh/${APP_ID}`, APP_ORIGIN, 'POST', 'content-type');
  t.equal(refresh.statusCode, 204);
  t.equal(refresh.headers['access-control-allow-origin'], APP_ORIGIN);
  t.equal(refresh.headers['access-control-allow-methods'], 'POST');
  // What FusionAuth's React SDK sends: a text/plain POST with cookies, no preflight.
  const posted = await app.inject({
    method: 'POST',
    url: `/app/refresh/${APP_ID}`,
    headers: { origin: APP_ORIGIN, 'content-type': 'text/plain' },
    payload: '',
  });
  t.equal(posted.statusCode, 400, 'the request reaches /app/refresh (no refresh cookie)');
  t.equal(posted.headers['access-control-allow-origin'], APP_ORIGIN);
  t.equal(posted.headers['access-control-allow-credentials'], 'true');
  const other = await app.inject({ url: '/app/me/', headers: { origin: EVIL } });
  t.equal(other.statusCode, 403, 'another origin is refused on /app/*');
  t.same(corsHeaders(other), []);
  t.equal(
    (await app.inject({ url: `/app/refresh/?client_id=${TENANT_ID}`, method: 'POST', headers: { origin: APP_ORIGIN } })).statusCode,
    403,
    "an origin of another application is not this one's",
  );
  t.equal(
    (await app.inject({ url: '/.well-known/openid-configuration', headers: { origin: APP_ORIGIN } })).headers['access-control-allow-origin'],
    undefined,
    'authorizedOriginURLs do not configure CORS elsewhere (as FusionAuth)',
  );
  await setCors(app, { enabled: true, allowedOrigins: [SPA], allowedMethods: ['GET', 'POST', 'OPTIONS'] });
  const systemOrigin = await app.inject({ url: '/app/me/', headers: { origin: SPA } });
  t.equal(systemOrigin.headers['access-control-allow-origin'], SPA, "the system configuration's origins too");
  t.equal(systemOrigin.headers['access-control-allow-credentials'], undefined, 'as configured: without credentials');
  t.equal(
    (await app.inject({ url: `/app/login/${APP_ID}?redirect_uri=${encodeURIComponent(`${APP_ORIGIN}/`)}` })).statusCode,
    302,
    'a navigation (no Origin) is not CORS',
  );
});

t.test('faults: a preflight never uses one up, and an injected answer carries the CORS headers', async (t) => {
  const app = await buildCors(t, CORS_CONFIGURATION);
  const added = await control(app, 'POST', '/_standin/faults', { path: '/oauth2/userinfo', status: 503, body: { down: true } });
  t.equal(added.statusCode, 201);
  t.equal((await preflight(app, '/oauth2/userinfo', SPA, 'GET', 'authorization')).statusCode, 204, 'the preflight is answered');
  const failed = await app.inject({ url: '/oauth2/userinfo', headers: { origin: SPA, authorization: 'Bearer x' } });
  t.equal(failed.statusCode, 503, 'the request after it gets the fault');
  t.equal(failed.headers['access-control-allow-origin'], SPA);
  t.equal(failed.headers['access-control-expose-headers'], 'X-Standin-Fault', 'and can read which fault it was');
  t.equal((await app.inject({ url: '/oauth2/userinfo', headers: { origin: SPA, authorization: 'Bearer x' } })).statusCode, 401, 'used once');
  await control(app, 'POST', '/_standin/faults', { path: '/oauth2/userinfo', status: 503 });
  t.equal((await app.inject({ url: '/oauth2/userinfo', headers: { origin: EVIL } })).statusCode, 403, 'a refused origin does not use the fault up');
  t.equal((await app.inject({ url: '/oauth2/userinfo' })).statusCode, 503, 'the fault is still there');
});

t.test('a stored corsConfiguration of the wrong shape falls back to the defaults field by field, never a 500', async (t) => {
  const app = await buildCors(t);
  // The System Configuration API refuses these now (test/e2e/client-cors-configuration.test.ts); a database an
  // earlier Standin wrote may still hold them.
  const storeCors = (corsConfiguration: JsonObject) => {
    app.standin.stores.systemConfiguration.set({ corsConfiguration });
  };
  storeCors({
    enabled: 'yes',
    allowedOrigins: SPA,
    allowedMethods: [7, 'post'],
    allowedHeaders: null,
    preflightMaxAgeInSeconds: -5,
    allowCredentials: 1,
  });
  t.same(
    corsHeaders(await app.inject({ url: '/.well-known/jwks.json', headers: { origin: SPA } })),
    [],
    '`enabled` that is not true leaves the filter off',
  );
  storeCors({
    enabled: true,
    allowedOrigins: [SPA, 42, ''],
    allowedMethods: [7, 'post'],
    allowedHeaders: 'Authorization',
    preflightMaxAgeInSeconds: 1.5,
    allowCredentials: 'true',
  });
  const answered = await preflight(app, '/oauth2/token', SPA, 'POST', 'authorization');
  t.equal(answered.statusCode, 204, 'the string items are kept; methods are upper-cased');
  t.equal(answered.headers['access-control-allow-methods'], 'POST');
  t.equal(answered.headers['access-control-allow-headers'], CORS_DEFAULTS.allowedHeaders.join(', '), 'a list that is not an array is the default');
  t.equal(answered.headers['access-control-max-age'], '1800', 'a max age that is not a whole number is the default');
  t.equal(answered.headers['access-control-allow-credentials'], undefined, 'a flag that is not a boolean is the default');
  t.equal((await app.inject({ url: '/.well-known/jwks.json', headers: { origin: SPA } })).statusCode, 403, 'GET is not among the configured methods');
});
