import t from 'tap';
import { apiClient, assertEmpty, assertFieldError, buildEmptyApp, T0, TENANT_ID, UUID } from '../helpers/fixtures.js';

const OTHER_ID = 'bbbbbbbb-0000-4000-8000-000000000002';
const DEFAULT_ISSUER = 'http://localhost:9011';

t.test('GET /api/tenant lists the default tenant with the issuer it signs with', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('GET', '/api/tenant');
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  t.equal(response.body.tenants.length, 1);
  t.match(response.body.tenants[0], { id: TENANT_ID, name: 'Default', issuer: DEFAULT_ISSUER, state: 'Active' });
});

t.test('POST /api/tenant without an id creates a tenant with a new UUID and FusionAuth defaults', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/tenant', { tenant: { name: 'Second' } });
  t.equal(response.status, 200);
  const { tenant } = response.body;
  t.match(tenant.id, UUID);
  t.not(tenant.id, TENANT_ID);
  t.match(tenant, {
    name: 'Second',
    issuer: DEFAULT_ISSUER,
    state: 'Active',
    httpSessionMaxInactiveInterval: 3600,
    externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 30 },
    jwtConfiguration: { enabled: true, timeToLiveInSeconds: 3600, refreshTokenTimeToLiveInMinutes: 43200, refreshTokenUsagePolicy: 'Reusable' },
    insertInstant: T0,
    lastUpdateInstant: T0,
  });
  const read = await api('GET', `/api/tenant/${tenant.id}`);
  t.equal(read.status, 200);
  t.same(read.body, { tenant });
});

t.test('POST /api/tenant/{id} creates the tenant with that id, whatever its case', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/tenant/${OTHER_ID.toUpperCase()}`, { tenant: { name: 'Second', issuer: 'https://auth.example.com' } });
  t.equal(response.status, 200);
  t.equal(response.body.tenant.id, OTHER_ID);
  t.equal(response.body.tenant.issuer, 'https://auth.example.com');
  t.equal((await api('GET', `/api/tenant/${OTHER_ID}`)).status, 200);
  t.equal((await api('GET', `/api/tenant/${OTHER_ID.toUpperCase()}`)).body.tenant.id, OTHER_ID);
});

t.test('server-owned fields sent in the body are ignored', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/tenant/${OTHER_ID}`, {
    tenant: { id: 'cccccccc-0000-4000-8000-000000000003', name: 'Second', insertInstant: 1, lastUpdateInstant: 2, state: 'Inactive' },
  });
  t.equal(response.status, 200);
  t.match(response.body.tenant, { id: OTHER_ID, insertInstant: T0, lastUpdateInstant: T0, state: 'Active' });
});

t.test('a tenant id already taken is refused with [duplicate]tenantId', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', `/api/tenant/${TENANT_ID}`, { tenant: { name: 'Another' } }), 'tenantId', 'duplicate');
  t.equal((await api('GET', '/api/tenant')).body.tenants.length, 1);
});

t.test('a tenant name already taken is refused with [duplicate]tenant.name, on create and on update', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', '/api/tenant', { tenant: { name: 'Default' } }), 'tenant.name', 'duplicate');
  t.equal((await api('GET', '/api/tenant')).body.tenants.length, 1);
  t.equal((await api('POST', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'Second' } })).status, 200);
  assertFieldError(t, await api('PATCH', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'Default' } }), 'tenant.name', 'duplicate');
  t.equal((await api('GET', `/api/tenant/${OTHER_ID}`)).body.tenant.name, 'Second');
});

t.test('a tenant without a name is refused with [blank]tenant.name', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', '/api/tenant', { tenant: { name: '  ' } }), 'tenant.name', 'blank');
  assertFieldError(t, await api('POST', '/api/tenant', { tenant: {} }), 'tenant.name', 'blank');
});

t.test('a body without a tenant member is refused with [blank]tenant', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', '/api/tenant', { name: 'Second' }), 'tenant', 'blank');
  assertFieldError(t, await api('POST', '/api/tenant', { tenant: 'Second' }), 'tenant', 'blank');
});

t.test('invalid token settings are refused field by field, all at once', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/tenant', {
    tenant: {
      name: 'Second',
      jwtConfiguration: { accessTokenKeyId: 'dddddddd-0000-4000-8000-000000000004', timeToLiveInSeconds: 0 },
      externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 601 },
    },
  });
  assertFieldError(t, response, 'tenant.jwtConfiguration.accessTokenKeyId', 'invalid');
  assertFieldError(t, response, 'tenant.jwtConfiguration.timeToLiveInSeconds', 'invalid');
  assertFieldError(t, response, 'tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds', 'invalid');
  t.same(response.body.generalErrors, []);
  t.equal((await api('GET', '/api/tenant')).body.tenants.length, 1);
});

t.test('an unknown tenant id answers 404 with an empty body on GET, PUT, PATCH and DELETE', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertEmpty(t, await api('GET', `/api/tenant/${OTHER_ID}`), 404);
  assertEmpty(t, await api('PUT', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'X' } }), 404);
  assertEmpty(t, await api('PATCH', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'X' } }), 404);
  assertEmpty(t, await api('DELETE', `/api/tenant/${OTHER_ID}`), 404);
});

t.test('PUT replaces the tenant: what the body leaves out returns to its default', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_ID}`, {
    tenant: { name: 'Second', issuer: 'https://auth.example.com', httpSessionMaxInactiveInterval: 60, data: { a: 1 } },
  });
  const response = await api('PUT', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'Renamed' } });
  t.equal(response.status, 200);
  const { tenant } = response.body;
  t.match(tenant, { id: OTHER_ID, name: 'Renamed', issuer: DEFAULT_ISSUER, httpSessionMaxInactiveInterval: 3600, data: {}, insertInstant: T0 });
  t.same((await api('GET', `/api/tenant/${OTHER_ID}`)).body, { tenant });
});

t.test('PATCH merges (RFC 7396): nested objects merge, null removes, arrays replace', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_ID}`, {
    tenant: {
      name: 'Second',
      issuer: 'https://auth.example.com',
      jwtConfiguration: { timeToLiveInSeconds: 60 },
      data: { keep: 1, drop: 2, list: [1, 2, 3] },
    },
  });
  const response = await api('PATCH', `/api/tenant/${OTHER_ID}`, {
    tenant: { jwtConfiguration: { refreshTokenTimeToLiveInMinutes: 10 }, data: { drop: null, list: [9] } },
  });
  t.equal(response.status, 200);
  const { tenant } = response.body;
  t.match(tenant, {
    name: 'Second',
    issuer: 'https://auth.example.com',
    jwtConfiguration: { timeToLiveInSeconds: 60, refreshTokenTimeToLiveInMinutes: 10 },
  });
  t.same(tenant.data, { keep: 1, list: [9] });

  // The quickstart PATCHes the issuer; null gives the default back.
  const reset = await api('PATCH', `/api/tenant/${OTHER_ID}`, { tenant: { issuer: null } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(reset.status, 200);
  t.equal(reset.body.tenant.issuer, DEFAULT_ISSUER);
  t.same((await api('GET', `/api/tenant/${OTHER_ID}`)).body, reset.body);
});

t.test('a PATCH that breaks a rule is refused and changes nothing', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const before = (await api('GET', `/api/tenant/${TENANT_ID}`)).body;
  assertFieldError(
    t,
    await api('PATCH', `/api/tenant/${TENANT_ID}`, { tenant: { name: '', httpSessionMaxInactiveInterval: -1 } }),
    'tenant.name',
    'blank',
  );
  t.same((await api('GET', `/api/tenant/${TENANT_ID}`)).body, before);
});

t.test('DELETE removes the tenant and everything in it', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'Second' } });
  const headers = { 'x-fusionauth-tenantid': OTHER_ID };
  const application = (await api('POST', '/api/application', { application: { name: 'App' } }, headers)).body.application;
  const user = (await api('POST', '/api/user', { user: { email: 'a@example.com', password: 'password1' } }, headers)).body.user;
  t.ok(application?.id && user?.id);

  assertEmpty(t, await api('DELETE', `/api/tenant/${OTHER_ID}`), 200);
  assertEmpty(t, await api('GET', `/api/tenant/${OTHER_ID}`), 404);
  assertEmpty(t, await api('GET', `/api/application/${application.id}`), 404);
  assertEmpty(t, await api('GET', `/api/user/${user.id}`), 404);
  t.same(
    (await api('GET', '/api/tenant')).body.tenants.map((x: { id: string }) => x.id),
    [TENANT_ID],
  );
});

t.test('X-FusionAuth-TenantId hides the other tenants', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_ID}`, { tenant: { name: 'Second' } });
  t.equal((await api('GET', '/api/tenant')).body.tenants.length, 2);
  const scoped = await api('GET', '/api/tenant', undefined, { 'x-fusionauth-tenantid': OTHER_ID });
  t.same(
    scoped.body.tenants.map((x: { id: string }) => x.id),
    [OTHER_ID],
  );
  assertEmpty(t, await api('GET', `/api/tenant/${TENANT_ID}`, undefined, { 'x-fusionauth-tenantid': OTHER_ID }), 404);
  assertEmpty(t, await api('PATCH', `/api/tenant/${TENANT_ID}`, { tenant: { name: 'X' } }, { 'x-fusionauth-tenantid': OTHER_ID }), 404);
  assertEmpty(t, await api('DELETE', `/api/tenant/${TENANT_ID}`, undefined, { 'x-fusionauth-tenantid': OTHER_ID }), 404);
  t.equal((await api('GET', `/api/tenant/${TENANT_ID}`)).body.tenant.name, 'Default');
});

t.test('a configuration member that is not an object is refused with [invalid]', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/tenant', {
    tenant: { name: 'Second', loginConfiguration: 'x', data: 5, jwtConfiguration: { refreshTokenRevocationPolicy: [] } },
  });
  assertFieldError(t, response, 'tenant.loginConfiguration', 'invalid');
  assertFieldError(t, response, 'tenant.data', 'invalid');
  assertFieldError(t, response, 'tenant.jwtConfiguration.refreshTokenRevocationPolicy', 'invalid');
  t.equal((await api('GET', '/api/tenant')).body.tenants.length, 1);
});
