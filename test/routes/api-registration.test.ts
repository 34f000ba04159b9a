import t from 'tap';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import {
  apiClient,
  type ApiClient,
  assertEmpty,
  assertFieldError,
  assertGeneralError,
  buildEmptyApp,
  T0,
  TENANT_ID,
  UUID,
} from '../helpers/fixtures.js';

const APP_ID = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const USER_ID = '00000000-0000-4000-8000-111111111111';
const MISSING_ID = 'dddddddd-0000-4000-8000-000000000004';
const OTHER_TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const FUSIONAUTH_APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

const richard = { email: 'richard@example.com', password: 'password1', firstName: 'Richard' };

/** A Standin with an application whose `user` role is given by default. */
async function setUp(t: Test): Promise<{ app: StandinApp; api: ApiClient }> {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const created = await api('POST', `/api/application/${APP_ID}`, {
    application: { name: 'Example app', roles: [{ name: 'user', isDefault: true }, { name: 'viewer', isDefault: true }, { name: 'admin' }] },
  });
  t.equal(created.status, 200, 'set-up: application created');
  return { app, api };
}

function count(app: StandinApp, table: 'users' | 'registrations'): number {
  return (app.standin.stores.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

t.test('POST /api/user/registration creates the user and the registration together', async (t) => {
  const { app, api } = await setUp(t);
  const response = await api('POST', '/api/user/registration', { user: richard, registration: { applicationId: APP_ID, data: { plan: 'pro' } } });
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  const { user, registration } = response.body;
  t.match(user, { email: 'richard@example.com', firstName: 'Richard', tenantId: TENANT_ID, active: true });
  t.match(user.id, UUID);
  t.match(registration, { applicationId: APP_ID, data: { plan: 'pro' }, verified: true, insertInstant: T0, lastUpdateInstant: T0 });
  t.match(registration.id, UUID);
  t.same(user.registrations, [registration], 'the user shows its registration');
  t.notOk('password' in user);

  t.same((await api('GET', `/api/user/${user.id}`)).body.user.registrations, [registration]);
  t.same((await api('GET', `/api/user/registration/${user.id}/${APP_ID}`)).body, { registration });
  const [row] = app.standin.stores.db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
  t.match(row!.password_hash, /^\$argon2id\$/);
});

t.test('POST /api/user/registration/{userId} with a user creates both with that user id', async (t) => {
  const { api } = await setUp(t);
  const response = await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: APP_ID } });
  t.equal(response.status, 200);
  t.equal(response.body.user.id, USER_ID);
  t.equal((await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`)).status, 200);
});

t.test("a registration that names no roles gets the application's default roles", async (t) => {
  const { api } = await setUp(t);
  const response = await api('POST', '/api/user/registration', { user: richard, registration: { applicationId: APP_ID } });
  t.equal(response.status, 200);
  t.same(response.body.registration.roles, ['user', 'viewer']);
});

t.test('a registration that names roles gets those roles, not the defaults', async (t) => {
  const { api } = await setUp(t);
  const response = await api('POST', '/api/user/registration', { user: richard, registration: { applicationId: APP_ID, roles: ['admin', 'admin'] } });
  t.equal(response.status, 200);
  t.same(response.body.registration.roles, ['admin']);
});

t.test('a registration to an application without default roles has no roles', async (t) => {
  const { api } = await setUp(t);
  const response = await api('POST', '/api/user/registration', { user: richard, registration: { applicationId: FUSIONAUTH_APPLICATION_ID } });
  t.equal(response.status, 200);
  t.same(response.body.registration.roles, []);
});

t.test('an unknown application is refused with [invalid]registration.applicationId, and neither the user nor the registration exists', async (t) => {
  const { app, api } = await setUp(t);
  const response = await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: MISSING_ID } });
  assertFieldError(t, response, 'registration.applicationId', 'invalid');
  assertEmpty(t, await api('GET', `/api/user/${USER_ID}`), 404);
  assertEmpty(t, await api('GET', '/api/user?email=richard%40example.com'), 404);
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/${MISSING_ID}`), 404);
  t.equal(count(app, 'users'), 0);
  t.equal(count(app, 'registrations'), 0);
  // The email is still free.
  t.equal((await api('POST', '/api/user/registration', { user: richard, registration: { applicationId: APP_ID } })).status, 200);
});

t.test('a registration without an application id is refused with [blank]registration.applicationId, creating nothing', async (t) => {
  const { app, api } = await setUp(t);
  assertFieldError(
    t,
    await api('POST', '/api/user/registration', { user: richard, registration: { roles: ['admin'] } }),
    'registration.applicationId',
    'blank',
  );
  t.equal(count(app, 'users'), 0);
});

t.test('a combined request without a registration is refused, creating no user', async (t) => {
  const { app, api } = await setUp(t);
  assertGeneralError(t, await api('POST', '/api/user/registration', { user: richard }), '[missing]registration');
  t.equal(count(app, 'users'), 0);
});

t.test('a combined request with an invalid user is refused and creates no registration', async (t) => {
  const { app, api } = await setUp(t);
  await api('POST', '/api/user', { user: richard });
  const response = await api('POST', '/api/user/registration', {
    user: { email: 'RICHARD@example.com', password: 'short' },
    registration: { applicationId: APP_ID },
  });
  assertFieldError(t, response, 'user.email', 'duplicate');
  assertFieldError(t, response, 'user.password', 'tooShort');
  t.equal(count(app, 'users'), 1);
  t.equal(count(app, 'registrations'), 0);
});

t.test('an application of another tenant is refused with [invalid]registration.applicationId', async (t) => {
  const { app, api } = await setUp(t);
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  const response = await api(
    'POST',
    '/api/user/registration',
    { user: richard, registration: { applicationId: APP_ID } },
    { 'x-fusionauth-tenantid': OTHER_TENANT },
  );
  assertFieldError(t, response, 'registration.applicationId', 'invalid');
  t.equal(count(app, 'users'), 0);
});

t.test('POST /api/user/registration/{userId} with only a registration registers the existing user', async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  const response = await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID, roles: ['admin'] } });
  t.equal(response.status, 200);
  // FusionAuth's RegistrationResponse: the registration and a JWT for it (no refresh token: the application
  // does not generate them for the Login API).
  t.same(Object.keys(response.body).sort(), ['registration', 'token', 'tokenExpirationInstant']);
  const { registration } = response.body;
  t.match(registration, { applicationId: APP_ID, roles: ['admin'], verified: true, data: {} });
  t.same((await api('GET', `/api/user/${USER_ID}`)).body.user.registrations, [registration]);
  t.same((await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`)).body, { registration });
});

t.test('a duplicate registration is refused with [duplicate]registration', async (t) => {
  const { app, api } = await setUp(t);
  await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: APP_ID } });
  assertFieldError(
    t,
    await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID } }),
    'registration',
    'duplicate',
  );
  t.equal(count(app, 'registrations'), 1);
});

t.test('registering an existing user to an unknown application is refused with [invalid]registration.applicationId', async (t) => {
  const { app, api } = await setUp(t);
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  assertFieldError(
    t,
    await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: MISSING_ID } }),
    'registration.applicationId',
    'invalid',
  );
  assertFieldError(
    t,
    await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID, data: 'x' } }),
    'registration.data',
    'invalid',
  );
  assertFieldError(
    t,
    await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID, roles: [1] } }),
    'registration.roles',
    'invalid',
  );
  t.equal(count(app, 'registrations'), 0);
});

t.test('registering an unknown user answers 404 with an empty body', async (t) => {
  const { app, api } = await setUp(t);
  assertEmpty(t, await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID } }), 404);
  t.equal(count(app, 'registrations'), 0);
});

t.test('POST /api/user/registration with neither a user nor a user id is refused with [missing]user', async (t) => {
  const { api } = await setUp(t);
  assertGeneralError(t, await api('POST', '/api/user/registration', { registration: { applicationId: APP_ID } }), '[missing]user');
});

t.test('GET /api/user/registration/{userId}/{applicationId} answers 404 for an unknown user, application or registration', async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: APP_ID } });
  assertEmpty(t, await api('GET', `/api/user/registration/${MISSING_ID}/${APP_ID}`), 404);
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/${MISSING_ID}`), 404);
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/${FUSIONAUTH_APPLICATION_ID}`), 404);
  t.equal((await api('GET', `/api/user/registration/${USER_ID.toUpperCase()}/${APP_ID.toUpperCase()}`)).body.registration.applicationId, APP_ID);
});

t.test('PUT /api/user/registration/{userId}/{applicationId} replaces the registration, keeping its id and insert instant', async (t) => {
  const { api } = await setUp(t);
  const created = (
    await api('POST', `/api/user/registration/${USER_ID}`, {
      user: richard,
      registration: { applicationId: APP_ID, roles: ['admin'], data: { a: 1 }, timezone: 'Europe/Paris' },
    })
  ).body.registration;
  const response = await api('PUT', `/api/user/registration/${USER_ID}/${APP_ID}`, { registration: { roles: ['user'], data: { b: 2 } } });
  t.equal(response.status, 200);
  const { registration } = response.body;
  t.match(registration, { id: created.id, applicationId: APP_ID, roles: ['user'], data: { b: 2 }, insertInstant: created.insertInstant });
  t.same(registration.data, { b: 2 });
  t.notOk('timezone' in registration, 'fields left out are gone');
  t.same((await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`)).body, { registration });
});

t.test('PUT /api/user/registration/{userId} takes the application from the body', async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: APP_ID } });
  const response = await api('PUT', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID, roles: ['admin'] } });
  t.equal(response.status, 200);
  t.same(response.body.registration.roles, ['admin']);
  assertEmpty(
    t,
    await api('PUT', `/api/user/registration/${USER_ID}`, { registration: { applicationId: FUSIONAUTH_APPLICATION_ID, roles: [] } }),
    404,
  );
});

t.test('PATCH merges the registration (RFC 7396): data merges, null removes, roles replace', async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/user/registration/${USER_ID}`, {
    user: richard,
    registration: { applicationId: APP_ID, roles: ['admin', 'user'], data: { keep: 1, drop: 2 }, timezone: 'Europe/Paris' },
  });
  const response = await api('PATCH', `/api/user/registration/${USER_ID}/${APP_ID}`, {
    registration: { roles: ['viewer'], data: { drop: null, added: true }, timezone: null },
  });
  t.equal(response.status, 200);
  const { registration } = response.body;
  t.same(registration.roles, ['viewer']);
  t.same(registration.data, { keep: 1, added: true });
  t.notOk('timezone' in registration);
  t.same((await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`)).body, { registration });
});

t.test('PUT and PATCH of an unknown registration answer 404 with an empty body', async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  assertEmpty(t, await api('PUT', `/api/user/registration/${USER_ID}/${APP_ID}`, { registration: { roles: [] } }), 404);
  assertEmpty(t, await api('PATCH', `/api/user/registration/${USER_ID}/${APP_ID}`, { registration: { roles: [] } }), 404);
  assertEmpty(t, await api('PATCH', `/api/user/registration/${MISSING_ID}/${APP_ID}`, { registration: { roles: [] } }), 404);
});

t.test('DELETE /api/user/registration/{userId}/{applicationId} removes the registration and keeps the user', async (t) => {
  const { app, api } = await setUp(t);
  await api('POST', `/api/user/registration/${USER_ID}`, { user: richard, registration: { applicationId: APP_ID } });
  assertEmpty(t, await api('DELETE', `/api/user/registration/${USER_ID}/${APP_ID}`), 200);
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`), 404);
  assertEmpty(t, await api('DELETE', `/api/user/registration/${USER_ID}/${APP_ID}`), 404);
  const user = await api('GET', `/api/user/${USER_ID}`);
  t.equal(user.status, 200);
  t.same(user.body.user.registrations, []);
  t.equal(count(app, 'registrations'), 0);
  // The user may register again.
  t.equal((await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: APP_ID } })).status, 200);
});

t.test("X-FusionAuth-TenantId naming another tenant hides the user's registrations", async (t) => {
  const { api } = await setUp(t);
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  await api(
    'POST',
    `/api/user/registration/${USER_ID}`,
    { user: richard, registration: { applicationId: APP_ID } },
    { 'x-fusionauth-tenantid': TENANT_ID },
  );
  const other = { 'x-fusionauth-tenantid': OTHER_TENANT };
  assertEmpty(t, await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`, undefined, other), 404);
  assertEmpty(t, await api('PATCH', `/api/user/registration/${USER_ID}/${APP_ID}`, { registration: { roles: [] } }, other), 404);
  assertEmpty(t, await api('DELETE', `/api/user/registration/${USER_ID}/${APP_ID}`, undefined, other), 404);
  assertEmpty(t, await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: FUSIONAUTH_APPLICATION_ID } }, other), 404);
  t.equal((await api('GET', `/api/user/registration/${USER_ID}/${APP_ID}`)).status, 200);
});
