import t from 'tap';
import { apiClient, assertEmpty, assertFieldError, assertGeneralError, buildEmptyApp, T0, TENANT_ID, UUID } from '../helpers/fixtures.js';

const APP_ID = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const OTHER_TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const FUSIONAUTH_APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

const exampleApp = {
  name: 'Example app',
  roles: [
    { name: 'user', isDefault: true },
    { name: 'admin', description: 'Administrators' },
  ],
  oauthConfiguration: {
    authorizedRedirectURLs: ['http://localhost:3000', 'http://localhost:3000/logged-out'],
    authorizedOriginURLs: ['http://localhost:3000'],
    clientSecret: 'super-secret-secret-that-should-be-regenerated-for-production',
    logoutURL: 'http://localhost:3000',
    enabledGrants: ['authorization_code', 'refresh_token'],
    generateRefreshTokens: true,
    requireRegistration: true,
  },
  jwtConfiguration: { enabled: true, timeToLiveInSeconds: 60 },
  registrationConfiguration: { enabled: true },
};

t.test('POST /api/application/{id} creates the application; its id is its client_id', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/application/${APP_ID}`, { application: exampleApp });
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  const { application } = response.body;
  t.match(application, {
    id: APP_ID,
    tenantId: TENANT_ID,
    name: 'Example app',
    active: true,
    state: 'Active',
    oauthConfiguration: {
      clientId: APP_ID,
      clientSecret: exampleApp.oauthConfiguration.clientSecret,
      authorizedRedirectURLs: exampleApp.oauthConfiguration.authorizedRedirectURLs,
      enabledGrants: ['authorization_code', 'refresh_token'],
      generateRefreshTokens: true,
      requireRegistration: true,
      clientAuthenticationPolicy: 'Required',
      proofKeyForCodeExchangePolicy: 'NotRequired',
    },
    jwtConfiguration: { enabled: true, timeToLiveInSeconds: 60, refreshTokenTimeToLiveInMinutes: 43200 },
    registrationConfiguration: { enabled: true },
    insertInstant: T0,
    lastUpdateInstant: T0,
  });
  t.equal(application.roles.length, 2);
  t.match(application.roles[0], { name: 'user', isDefault: true, isSuperRole: false });
  t.match(application.roles[1], { name: 'admin', description: 'Administrators', isDefault: false, isSuperRole: false });
  for (const role of application.roles) t.match(role.id, UUID);

  const read = await api('GET', `/api/application/${APP_ID}`);
  t.equal(read.status, 200);
  t.same(read.body, { application });
});

t.test('POST /api/application without an id makes a new UUID and a client secret', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/application', { application: { name: 'Bare' } });
  t.equal(response.status, 200);
  const { application } = response.body;
  t.match(application.id, UUID);
  t.equal(application.oauthConfiguration.clientId, application.id);
  // 32 random bytes, base64url.
  t.match(application.oauthConfiguration.clientSecret, /^[A-Za-z0-9_-]{43}$/);
  t.match(application, { roles: [], jwtConfiguration: { enabled: false }, oauthConfiguration: { authorizedRedirectURLs: [], enabledGrants: [] } });
  const other = (await api('POST', '/api/application', { application: { name: 'Bare 2' } })).body.application;
  t.not(other.oauthConfiguration.clientSecret, application.oauthConfiguration.clientSecret);
});

t.test('GET /api/application lists every application', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/application/${APP_ID}`, { application: exampleApp });
  const response = await api('GET', '/api/application');
  t.equal(response.status, 200);
  t.same(response.body.applications.map((a: { id: string }) => a.id).sort(), [FUSIONAUTH_APPLICATION_ID, APP_ID].sort());
});

t.test('an application id already taken is refused with [duplicate]applicationId', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  t.equal((await api('POST', `/api/application/${APP_ID}`, { application: exampleApp })).status, 200);
  assertFieldError(t, await api('POST', `/api/application/${APP_ID}`, { application: { name: 'Again' } }), 'applicationId', 'duplicate');
  t.equal((await api('GET', `/api/application/${APP_ID}`)).body.application.name, 'Example app');
});

t.test('an application without a name is refused with [blank]application.name', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', `/api/application/${APP_ID}`, { application: { name: '' } }), 'application.name', 'blank');
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
  assertFieldError(t, await api('POST', '/api/application', {}), 'application', 'blank');
});

t.test('bad OAuth settings are refused field by field and nothing is stored', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/application/${APP_ID}`, {
    application: {
      name: 'Bad',
      oauthConfiguration: {
        authorizedRedirectURLs: ['not a url'],
        authorizedOriginURLs: 'http://localhost:3000',
        logoutURL: '/relative',
        enabledGrants: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
        clientAuthenticationPolicy: 'Sometimes',
        proofKeyForCodeExchangePolicy: 'Maybe',
      },
    },
  });
  for (const field of [
    'authorizedRedirectURLs',
    'authorizedOriginURLs',
    'logoutURL',
    'enabledGrants',
    'clientAuthenticationPolicy',
    'proofKeyForCodeExchangePolicy',
  ]) {
    assertFieldError(t, response, `application.oauthConfiguration.${field}`, 'invalid');
  }
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
});

t.test('roles need a name, once each', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/application/${APP_ID}`, {
    application: { name: 'App', roles: [{ name: 'a' }, { name: 'a' }, { description: 'x' }] },
  });
  assertFieldError(t, response, 'application.roles[1].name', 'duplicate');
  assertFieldError(t, response, 'application.roles[2].name', 'blank');
  assertFieldError(
    t,
    await api('POST', `/api/application/${APP_ID}`, { application: { name: 'App', roles: 'admin' } }),
    'application.roles',
    'invalid',
  );
});

t.test('a signing key id that names no key is refused with [invalid]application.jwtConfiguration.accessTokenKeyId', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/application/${APP_ID}`, {
    application: { name: 'App', jwtConfiguration: { enabled: true, accessTokenKeyId: 'dddddddd-0000-4000-8000-000000000004' } },
  });
  assertFieldError(t, response, 'application.jwtConfiguration.accessTokenKeyId', 'invalid');
});

t.test('an unknown application id answers 404 with an empty body on GET, PUT, PATCH and DELETE', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
  assertEmpty(t, await api('PUT', `/api/application/${APP_ID}`, { application: { name: 'X' } }), 404);
  assertEmpty(t, await api('PATCH', `/api/application/${APP_ID}`, { application: { name: 'X' } }), 404);
  assertEmpty(t, await api('DELETE', `/api/application/${APP_ID}`), 404);
  assertEmpty(t, await api('DELETE', `/api/application/${APP_ID}?hardDelete=true`), 404);
});

t.test('PUT replaces the application, keeping its id, client secret and insert instant', async (t) => {
  const app = await buildEmptyApp(t, {
    now: (() => {
      let now = T0;
      return () => (now += 1000);
    })(),
  });
  const api = apiClient(t, app);
  const created = (
    await api('POST', `/api/application/${APP_ID}`, {
      application: { ...exampleApp, oauthConfiguration: { ...exampleApp.oauthConfiguration, clientSecret: undefined } },
    })
  ).body.application;
  const response = await api('PUT', `/api/application/${APP_ID}`, {
    application: { name: 'Replaced', oauthConfiguration: { authorizedRedirectURLs: ['https://app.example.com/cb'] } },
  });
  t.equal(response.status, 200);
  const { application } = response.body;
  t.match(application, {
    id: APP_ID,
    name: 'Replaced',
    roles: [],
    insertInstant: created.insertInstant,
    oauthConfiguration: {
      clientId: APP_ID,
      clientSecret: created.oauthConfiguration.clientSecret,
      authorizedRedirectURLs: ['https://app.example.com/cb'],
      enabledGrants: [],
      generateRefreshTokens: false,
    },
    jwtConfiguration: { enabled: false, timeToLiveInSeconds: 3600 },
  });
  t.ok(application.lastUpdateInstant > created.lastUpdateInstant, 'lastUpdateInstant moves');
  t.same((await api('GET', `/api/application/${APP_ID}`)).body, { application });
});

t.test('PATCH merges (RFC 7396): nested objects merge, null removes, arrays replace', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/application/${APP_ID}`, { application: exampleApp });
  const response = await api('PATCH', `/api/application/${APP_ID}`, {
    application: {
      oauthConfiguration: { authorizedRedirectURLs: ['https://app.example.com/cb'], logoutURL: null },
      jwtConfiguration: { timeToLiveInSeconds: 120 },
    },
  });
  t.equal(response.status, 200);
  const { application } = response.body;
  t.same(application.oauthConfiguration.authorizedRedirectURLs, ['https://app.example.com/cb']);
  t.notOk('logoutURL' in application.oauthConfiguration, 'null removed logoutURL');
  t.match(application, {
    name: 'Example app',
    oauthConfiguration: {
      clientSecret: exampleApp.oauthConfiguration.clientSecret,
      authorizedOriginURLs: ['http://localhost:3000'],
      enabledGrants: ['authorization_code', 'refresh_token'],
    },
    jwtConfiguration: { enabled: true, timeToLiveInSeconds: 120 },
  });
  t.same(
    application.roles.map((r: { name: string }) => r.name),
    ['user', 'admin'],
  );
  t.same((await api('GET', `/api/application/${APP_ID}`)).body, { application });
});

t.test('a PATCH that breaks a rule is refused and changes nothing', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const before = (await api('POST', `/api/application/${APP_ID}`, { application: exampleApp })).body;
  const response = await api('PATCH', `/api/application/${APP_ID}`, {
    application: { name: 'Ok', oauthConfiguration: { authorizedRedirectURLs: ['nope'] } },
  });
  assertFieldError(t, response, 'application.oauthConfiguration.authorizedRedirectURLs', 'invalid');
  t.same((await api('GET', `/api/application/${APP_ID}`)).body, before);
});

t.test('DELETE deactivates the application: active false, state Inactive, still readable', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/application/${APP_ID}`, { application: exampleApp });
  assertEmpty(t, await api('DELETE', `/api/application/${APP_ID}`), 200);
  const read = await api('GET', `/api/application/${APP_ID}`);
  t.equal(read.status, 200);
  t.match(read.body.application, { id: APP_ID, active: false, state: 'Inactive', name: 'Example app' });
});

t.test('DELETE ?hardDelete=true removes the application and its registrations', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/application/${APP_ID}`, { application: exampleApp });
  const created = await api('POST', '/api/user/registration', {
    user: { email: 'a@example.com', password: 'password1' },
    registration: { applicationId: APP_ID },
  });
  t.equal(created.status, 200);
  const userId = created.body.user.id;
  assertEmpty(t, await api('DELETE', `/api/application/${APP_ID}?hardDelete=true`), 200);
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
  assertEmpty(t, await api('GET', `/api/user/registration/${userId}/${APP_ID}`), 404);
  const user = await api('GET', `/api/user/${userId}`);
  t.equal(user.status, 200);
  t.same(user.body.user.registrations, []);
  t.notOk((await api('GET', '/api/application')).body.applications.some((a: { id: string }) => a.id === APP_ID));
});

t.test('applications live in the request tenant, and X-FusionAuth-TenantId hides the others', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  const other = { 'x-fusionauth-tenantid': OTHER_TENANT };
  const created = await api('POST', `/api/application/${APP_ID}`, { application: { name: 'Theirs' } }, other);
  t.equal(created.status, 200);
  t.equal(created.body.application.tenantId, OTHER_TENANT);

  t.same(
    (await api('GET', '/api/application', undefined, other)).body.applications.map((a: { id: string }) => a.id),
    [APP_ID],
  );
  t.same(
    (await api('GET', '/api/application', undefined, { 'x-fusionauth-tenantid': TENANT_ID })).body.applications.map((a: { id: string }) => a.id),
    [FUSIONAUTH_APPLICATION_ID],
  );
  t.equal((await api('GET', '/api/application')).body.applications.length, 2);
  const mine = { 'x-fusionauth-tenantid': TENANT_ID };
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`, undefined, mine), 404);
  assertEmpty(t, await api('PATCH', `/api/application/${APP_ID}`, { application: { name: 'Mine' } }, mine), 404);
  assertEmpty(t, await api('DELETE', `/api/application/${APP_ID}?hardDelete=true`, undefined, mine), 404);
  t.equal((await api('GET', `/api/application/${APP_ID}`, undefined, other)).body.application.name, 'Theirs');
});

t.test('with two tenants and no X-FusionAuth-TenantId, creating an application is refused with [TenantIdRequired]', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  assertGeneralError(t, await api('POST', `/api/application/${APP_ID}`, { application: { name: 'App' } }), '[TenantIdRequired]');
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
});

t.test('a configuration member that is not an object is refused with [invalid], on create and on PATCH', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/application/${APP_ID}`, {
    application: { name: 'App', oauthConfiguration: 'x', loginConfiguration: 1, data: [] },
  });
  assertFieldError(t, response, 'application.oauthConfiguration', 'invalid');
  assertFieldError(t, response, 'application.loginConfiguration', 'invalid');
  assertFieldError(t, response, 'application.data', 'invalid');
  assertEmpty(t, await api('GET', `/api/application/${APP_ID}`), 404);
  const before = (await api('GET', `/api/application/${FUSIONAUTH_APPLICATION_ID}`)).body;
  assertFieldError(
    t,
    await api('PATCH', `/api/application/${FUSIONAUTH_APPLICATION_ID}`, { application: { oauthConfiguration: true } }),
    'application.oauthConfiguration',
    'invalid',
  );
  assertFieldError(
    t,
    await api('PATCH', `/api/application/${FUSIONAUTH_APPLICATION_ID}`, { application: { registrationConfiguration: 'on' } }),
    'application.registrationConfiguration',
    'invalid',
  );
  t.same((await api('GET', `/api/application/${FUSIONAUTH_APPLICATION_ID}`)).body, before);
});
