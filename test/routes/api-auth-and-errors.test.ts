import t from 'tap';
import type { StandinApp } from '../../src/app.js';
import {
  API_KEY,
  apiClient,
  type ApiResponse,
  assertEmpty,
  assertGeneralError,
  buildEmptyApp,
  type Method,
  TENANT_ID,
  testKickstart,
} from '../helpers/fixtures.js';

const OTHER_TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const USER_ID = '00000000-0000-4000-8000-111111111111';
const APP_ID = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const user = { email: 'richard@example.com', password: 'password1' };

/** An inject without the test API key, as a raw caller would send it. */
async function raw(
  app: StandinApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string> = {},
  payload?: string,
): Promise<ApiResponse> {
  const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: response.statusCode, body: response.body === '' ? undefined : JSON.parse(response.body), raw: response };
}

function userCount(app: StandinApp): number {
  return (app.standin.stores.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

const PROTECTED: [method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string][] = [
  ['GET', '/api/tenant'],
  ['GET', `/api/tenant/${TENANT_ID}`],
  ['POST', '/api/tenant'],
  ['GET', '/api/application'],
  ['POST', `/api/application/${APP_ID}`],
  ['GET', `/api/user/${USER_ID}`],
  ['GET', '/api/user?email=richard%40example.com'],
  ['POST', '/api/user'],
  ['PATCH', `/api/user/${USER_ID}`],
  ['DELETE', `/api/user/${USER_ID}`],
  ['POST', '/api/user/registration'],
  ['GET', `/api/user/registration/${USER_ID}/${APP_ID}`],
  ['GET', '/api/key'],
  ['POST', '/api/key/generate'],
  ['GET', '/api/system-configuration'],
];

t.test('without an API key every management route answers 401 with an empty body', async (t) => {
  const app = await buildEmptyApp(t);
  for (const [method, url] of PROTECTED) {
    const payload = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ user });
    const response = await raw(app, method, url, payload === undefined ? {} : { 'content-type': 'application/json' }, payload);
    t.equal(response.status, 401, `${method} ${url}`);
    t.equal(response.raw.body, '', `${method} ${url} has an empty body`);
  }
  t.equal(userCount(app), 0, 'nothing was written');
});

t.test('a wrong API key answers 401 with an empty body', async (t) => {
  const app = await buildEmptyApp(t);
  for (const authorization of ['wrong-key', `${API_KEY}x`, API_KEY.slice(0, -1), `Bearer ${API_KEY}`, ' ']) {
    assertEmpty(t, await raw(app, 'GET', '/api/tenant', { authorization }), 401);
  }
  const post = await raw(app, 'POST', '/api/user', { authorization: 'wrong-key', 'content-type': 'application/json' }, JSON.stringify({ user }));
  assertEmpty(t, post, 401);
  t.equal(userCount(app), 0);
});

t.test('the raw API key in Authorization, with no scheme, is accepted', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await raw(app, 'GET', '/api/tenant', { authorization: API_KEY });
  t.equal(response.status, 200);
  t.equal(response.body.tenants[0].id, TENANT_ID);
});

t.test('GET /api/status needs no API key and answers 200 JSON with a version', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await raw(app, 'GET', '/api/status');
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  t.type(response.body.version, 'string');
  t.match(response.body.version, /^\d+\.\d+\.\d+/);
  t.equal((await raw(app, 'GET', '/api/status', { authorization: 'wrong-key' })).status, 200, 'a wrong key does not matter either');
});

t.test('GET /api/jwt/public-key needs no API key', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await raw(app, 'GET', '/api/jwt/public-key');
  t.equal(response.status, 200);
  const pems: string[] = Object.values(response.body.publicKeys);
  t.equal(pems.length, 1);
  t.match(pems[0], /^-----BEGIN PUBLIC KEY-----/);
  assertEmpty(t, await raw(app, 'GET', '/api/jwt/public-key?kid=no-such-kid'), 404);
  assertEmpty(t, await raw(app, 'GET', `/api/jwt/public-key?applicationId=${APP_ID}`), 404);
});

t.test('malformed JSON is refused with 400 [invalidJSON] and writes nothing', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  for (const body of ['{"user": {', '{bad}', "{'user': 1}", '{"user": {"email": "a@example.com",}}']) {
    assertGeneralError(t, await api('POST', '/api/user', body), '[invalidJSON]');
  }
  assertGeneralError(
    t,
    await api('PATCH', `/api/tenant/${TENANT_ID}`, '{"tenant":', { 'content-type': 'application/merge-patch+json' }),
    '[invalidJSON]',
  );
  t.equal(userCount(app), 0);
});

t.test('a JSON body that is not an object is refused with 400 [invalidJSON]', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  for (const body of ['[]', '"user"', '42', 'true']) assertGeneralError(t, await api('POST', '/api/user', body), '[invalidJSON]');
});

t.test('an empty body with Content-Type application/json on POST is refused with 400 [missing]', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  assertGeneralError(t, await api('POST', '/api/user', ''), '[missing]');
  assertGeneralError(t, await api('POST', '/api/user', '   \n'), '[missing]');
  assertGeneralError(t, await api('POST', '/api/application', ''), '[missing]');
  assertGeneralError(t, await api('POST', '/api/user/registration', ''), '[missing]');
  assertGeneralError(t, await api('POST', '/api/user', 'null'), '[missing]');
  // FusionAuth's clients also send empty text/plain bodies: no body, not an unsupported type.
  assertGeneralError(t, await api('POST', '/api/user', undefined, { 'content-type': 'text/plain' }), '[missing]');
  assertGeneralError(t, await api('POST', '/api/user'), '[missing]');
  t.equal(userCount(app), 0);
});

t.test('an unsupported content type is refused with 400 [UnsupportedContentType]', async (t) => {
  const app = await buildEmptyApp(t);
  for (const contentType of ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const response = await raw(app, 'POST', '/api/user', { authorization: API_KEY, 'content-type': contentType }, 'user=1');
    assertGeneralError(t, response, '[UnsupportedContentType]');
    t.match(response.body.generalErrors[0].message, contentType.split(';')[0]!);
  }
  t.equal(userCount(app), 0);
});

t.test('a body over the size limit is refused with 413 [tooLarge]', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const body = JSON.stringify({ user: { ...user, data: { blob: 'x'.repeat(1024 * 1024) } } });
  assertGeneralError(t, await api('POST', '/api/user', body), '[tooLarge]', 413);
  t.equal(userCount(app), 0);
});

t.test("an unknown /api route answers 404 [NotModelled] in FusionAuth's error shape, naming the method and path", async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const cases: [Method, string, unknown?][] = [
    ['GET', '/api/nothing-here'],
    ['POST', '/api/nothing/else', { search: {} }],
    ['DELETE', '/api/system-configuration'],
    ['GET', `/api/user/${USER_ID}/extra`],
  ];
  for (const [method, url, body] of cases) {
    const response = await api(method, url, body);
    assertGeneralError(t, response, '[NotModelled]', 404);
    t.match(response.body.generalErrors[0].message, `Standin does not model ${method} ${url}`);
    t.match(response.body.generalErrors[0].message, 'docs/compatibility.md');
  }
  const anonymous = await raw(app, 'GET', '/api/nothing-here?x=1');
  t.equal(anonymous.status, 404, 'no API key needed to learn that');
  t.match(anonymous.body.generalErrors[0].message, 'GET /api/nothing-here;', 'the query string is not echoed');
});

t.test('a path id that is not a UUID names nothing Standin models: 404 [NotModelled], naming the segment', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  for (const url of [
    '/api/user/not-a-uuid',
    '/api/application/123',
    `/api/tenant/${TENANT_ID}x`,
    '/api/key/zzzzzzzz-0000-4000-8000-000000000001',
    `/api/user/registration/${USER_ID}/nope`,
  ]) {
    const response = await api('GET', url);
    assertGeneralError(t, response, '[NotModelled]', 404);
    t.match(response.body.generalErrors[0].message, 'cannot be an id there');
  }
  assertGeneralError(t, await api('POST', '/api/user/not-a-uuid', { user }), '[NotModelled]', 404);
  assertGeneralError(t, await api('DELETE', '/api/application/not-a-uuid'), '[NotModelled]', 404);
  t.equal(userCount(app), 0, 'nothing written');
});

t.test('__proto__ and constructor.prototype in a JSON body are refused with 400 and write nothing', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const bodies = [
    '{"__proto__": {"admin": true}, "user": {"email": "a@example.com", "password": "password1"}}',
    '{"user": {"email": "a@example.com", "password": "password1", "__proto__": {"active": false}}}',
    '{"user": {"email": "a@example.com", "password": "password1", "data": {"constructor": {"prototype": {"polluted": true}}}}}',
  ];
  for (const body of bodies) {
    const response = await api('POST', '/api/user', body);
    assertGeneralError(t, response, '[invalidJSON]');
  }
  assertGeneralError(t, await api('PATCH', `/api/tenant/${TENANT_ID}`, '{"tenant": {"__proto__": {"name": "x"}}}'), '[invalidJSON]');
  t.equal(userCount(app), 0);
  t.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype is untouched');
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test("X-FusionAuth-TenantId naming another tenant hides this tenant's objects (404)", async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  const mine = { 'x-fusionauth-tenantid': TENANT_ID };
  await api('POST', `/api/user/registration/${USER_ID}`, { user, registration: { applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32' } }, mine);
  await api('POST', `/api/application/${APP_ID}`, { application: { name: 'App' } }, mine);
  const other = { 'x-fusionauth-tenantid': OTHER_TENANT };
  assertEmpty(t, await api('GET', `/api/user/${USER_ID}`, undefined, other), 404);
  assertEmpty(t, await api('GET', '/api/user?loginId=richard%40example.com', undefined, other), 404);
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`, undefined, other), 404);
  assertEmpty(t, await api('GET', `/api/tenant/${TENANT_ID}`, undefined, other), 404);
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/3c219e58-ed0e-4b18-ad48-f4f92793ae32`, undefined, other), 404);
  t.equal((await api('GET', `/api/user/${USER_ID}`, undefined, mine)).status, 200);
  t.equal((await api('GET', `/api/application/${APP_ID}`, undefined, mine)).status, 200);
});

t.test('X-FusionAuth-TenantId is matched without regard to case', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  const upper = { 'x-fusionauth-tenantid': OTHER_TENANT.toUpperCase() };
  const created = await api('POST', `/api/user/${USER_ID}`, { user }, upper);
  t.equal(created.status, 200);
  t.equal(created.body.user.tenantId, OTHER_TENANT);
  t.equal((await api('GET', `/api/user/${USER_ID}`, undefined, upper)).status, 200);
  t.same(
    (await api('GET', '/api/tenant', undefined, upper)).body.tenants.map((x: { id: string }) => x.id),
    [OTHER_TENANT],
  );
});

t.test('X-FusionAuth-TenantId that names no tenant is refused with [invalid]tenantId', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  assertGeneralError(t, await api('POST', '/api/user', { user }, { 'x-fusionauth-tenantid': OTHER_TENANT }), '[invalid]tenantId');
  assertGeneralError(t, await api('POST', '/api/user', { user }, { 'x-fusionauth-tenantid': 'not-a-uuid' }), '[invalid]tenantId');
  t.equal(userCount(app), 0);
});

t.test('with two tenants and no X-FusionAuth-TenantId, creating a user is refused with [TenantIdRequired]', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  assertGeneralError(t, await api('POST', '/api/user', { user }), '[TenantIdRequired]');
  // A combined create takes the tenant from its application (docs/management-api.md); an unknown one implies none.
  assertGeneralError(
    t,
    await api('POST', '/api/user/registration', { user, registration: { applicationId: 'eeeeeeee-0000-4000-8000-000000000009' } }),
    '[TenantIdRequired]',
  );
  t.equal(userCount(app), 0);
  const implied = await api('POST', '/api/user/registration', { user, registration: { applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32' } });
  t.equal(implied.body.user.tenantId, TENANT_ID, "the FusionAuth application's tenant");
  await api('DELETE', `/api/user/${implied.body.user.id}?hardDelete=true`, undefined, { 'x-fusionauth-tenantid': TENANT_ID });
  t.equal(userCount(app), 0);
  const created = await api('POST', '/api/user', { user }, { 'x-fusionauth-tenantid': OTHER_TENANT });
  t.equal(created.status, 200);
  t.equal(created.body.user.tenantId, OTHER_TENANT);
});

t.test('a tenant-bound API key acts in its tenant, and naming another tenant answers 401', async (t) => {
  const boundKey = 'bound-api-key-0123456789-abcdefghijklmnopqrstuvwxyz';
  const kickstart = testKickstart([{ method: 'POST', url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Second' } } }]);
  kickstart.apiKeys!.push({ key: boundKey, tenantId: OTHER_TENANT });
  const app = await buildEmptyApp(t, { kickstart });
  const created = await raw(app, 'POST', '/api/user', { authorization: boundKey, 'content-type': 'application/json' }, JSON.stringify({ user }));
  t.equal(created.status, 200, 'no tenant header is needed');
  t.equal(created.body.user.tenantId, OTHER_TENANT);
  t.same(
    (await raw(app, 'GET', '/api/tenant', { authorization: boundKey })).body.tenants.map((x: { id: string }) => x.id),
    [OTHER_TENANT],
  );
  assertEmpty(t, await raw(app, 'GET', `/api/tenant/${TENANT_ID}`, { authorization: boundKey }), 404);
  assertEmpty(t, await raw(app, 'GET', '/api/tenant', { authorization: boundKey, 'x-fusionauth-tenantid': TENANT_ID }), 401);
});

t.test("an error answer is JSON in FusionAuth's shape, never a 500", async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const responses = [
    await api('POST', '/api/user', { user: 'richard' }),
    await api('POST', '/api/user', { user: { email: 42, username: [], password: 12345678, data: 'x' } }),
    await api('POST', '/api/application', { application: { name: 7, roles: [null, 3], oauthConfiguration: 'x', jwtConfiguration: [] } }),
    await api('POST', '/api/tenant', { tenant: { name: 'T', jwtConfiguration: 'x', externalIdentifierConfiguration: 5 } }),
    await api('POST', '/api/user/registration', { user, registration: 'x' }),
    await api('POST', '/api/key/generate', { key: { algorithm: 'RS256', name: 'k', length: 'long' } }),
  ];
  for (const response of responses) {
    t.equal(response.status, 400, JSON.stringify(response.body));
    t.match(response.raw.headers['content-type'], /^application\/json/);
    t.type(response.body.fieldErrors, 'object');
    t.ok(Array.isArray(response.body.generalErrors));
  }
});

t.test('a body member of the wrong JSON type is refused with a 4xx, never a 500', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const fusionAuthApp = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
  const bases: ['POST' | 'PATCH', string, Record<string, any>][] = [
    [
      'POST',
      '/api/application',
      {
        application: {
          name: 'A',
          roles: [{ name: 'r' }],
          oauthConfiguration: {
            authorizedRedirectURLs: ['http://a'],
            enabledGrants: ['authorization_code'],
            logoutURL: 'http://a',
            clientSecret: 's',
          },
          jwtConfiguration: { enabled: true, timeToLiveInSeconds: 5 },
          loginConfiguration: { generateRefreshTokens: true },
          registrationConfiguration: { enabled: true },
          data: {},
        },
      },
    ],
    [
      'PATCH',
      `/api/application/${fusionAuthApp}`,
      { application: { oauthConfiguration: { enabledGrants: [] }, jwtConfiguration: { enabled: true }, roles: [] } },
    ],
    [
      'POST',
      '/api/tenant',
      {
        tenant: {
          name: 'T',
          issuer: 'http://x',
          jwtConfiguration: {
            timeToLiveInSeconds: 5,
            refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 1 },
            refreshTokenRevocationPolicy: { onLoginPrevented: true },
          },
          externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 30 },
          loginConfiguration: { requireAuthentication: true },
          data: {},
        },
      },
    ],
    [
      'PATCH',
      `/api/tenant/${TENANT_ID}`,
      { tenant: { jwtConfiguration: { timeToLiveInSeconds: 5 }, externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 30 } } },
    ],
    [
      'POST',
      '/api/user',
      { user: { email: 'a@example.com', username: 'u', password: 'password1', birthDate: '2000-01-01', data: { a: 1 }, firstName: 'f' } },
    ],
    [
      'POST',
      '/api/user/registration',
      { user: { email: 'a@example.com', password: 'password1' }, registration: { applicationId: fusionAuthApp, roles: ['admin'], data: {} } },
    ],
    ['POST', '/api/key/generate', { key: { algorithm: 'HS256', name: 'k', length: 256 } }],
  ];
  const wrong: unknown[] = ['x', 1, -1, 1.5, true, [], [1], {}, null];
  const paths = (value: Record<string, any>, prefix: string[] = []): string[][] =>
    Object.entries(value).flatMap(([key, member]) => [
      [...prefix, key],
      ...(member !== null && typeof member === 'object' && !Array.isArray(member) ? paths(member, [...prefix, key]) : []),
    ]);
  const failures: string[] = [];
  let n = 0;
  for (const [method, url, base] of bases) {
    for (const path of paths(base)) {
      for (const value of wrong) {
        const body = structuredClone(base);
        const parent = path.slice(0, -1).reduce((object, key) => object[key], body);
        parent[path.at(-1)!] = value;
        // Fresh unique names, so a request is refused for the wrong type and not as a duplicate.
        n += 1;
        if (typeof body.user?.email === 'string') body.user.email = `u${n}@example.com`;
        if (typeof body.user?.username === 'string') body.user.username = `u${n}`;
        if (typeof body.key?.name === 'string') body.key.name = `k${n}`;
        if (body.tenant?.name === 'T') body.tenant.name = `T${n}`;
        const response = await api(method, url, body);
        if (response.status >= 500) failures.push(`${response.status} ${method} ${url} ${path.join('.')}=${JSON.stringify(value)}`);
      }
    }
  }
  t.ok(n > 300, `${n} requests sent`);
  t.same(failures, [], 'no 5xx');
});
