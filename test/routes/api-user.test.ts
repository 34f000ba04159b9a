import t from 'tap';
import { apiClient, assertEmpty, assertFieldError, assertGeneralError, buildEmptyApp, T0, TENANT_ID, UUID } from '../helpers/fixtures.js';
import type { StandinApp } from '../../src/app.js';

const USER_ID = '00000000-0000-4000-8000-111111111111';
const OTHER_TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';

const richard = {
  email: 'richard@example.com',
  password: 'password1',
  username: 'richard',
  firstName: 'Richard',
  lastName: 'Hendricks',
  birthDate: '1985-11-23',
};

function hashes(app: StandinApp): { id: string; password_hash: string | null }[] {
  return app.standin.stores.db.prepare('SELECT id, password_hash FROM users ORDER BY rowid').all() as { id: string; password_hash: string | null }[];
}

function userCount(app: StandinApp): number {
  return (app.standin.stores.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

t.test('POST /api/user creates a user with a new UUID, without ever showing the password', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const response = await api('POST', '/api/user', { user: richard });
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  const { user } = response.body;
  t.match(user.id, UUID);
  t.match(user, {
    tenantId: TENANT_ID,
    email: 'richard@example.com',
    username: 'richard',
    firstName: 'Richard',
    lastName: 'Hendricks',
    birthDate: '1985-11-23',
    active: true,
    verified: true,
    passwordChangeRequired: false,
    data: {},
    insertInstant: T0,
    lastUpdateInstant: T0,
    passwordLastUpdateInstant: T0,
  });
  t.same(user.registrations, []);
  t.notOk('password' in user, 'no password in the response');

  const read = await api('GET', `/api/user/${user.id}`);
  t.equal(read.status, 200);
  t.same(read.body, { user });
});

t.test('passwords are stored as argon2id hashes, never as given', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const { user } = (await api('POST', '/api/user', { user: richard })).body;
  const rows = hashes(app).filter((row) => row.id === user.id);
  t.equal(rows.length, 1);
  t.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$/);
  t.notMatch(rows[0]!.password_hash, /password1/);
  const body = app.standin.stores.db.prepare('SELECT body FROM users WHERE id = ?').get(user.id) as { body: string };
  t.notMatch(body.body, /password1|"password"/, 'the stored JSON body holds no password');
});

t.test('POST /api/user/{id} creates the user with that id', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/user/${USER_ID.toUpperCase()}`, { user: { email: 'a@example.com', password: 'password1' } });
  t.equal(response.status, 200);
  t.equal(response.body.user.id, USER_ID);
  t.equal((await api('GET', `/api/user/${USER_ID}`)).body.user.email, 'a@example.com');
});

t.test('a user id already taken is refused with [duplicate]userId', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', `/api/user/${USER_ID}`, { user: { email: 'a@example.com', password: 'password1' } });
  assertFieldError(t, await api('POST', `/api/user/${USER_ID}`, { user: { email: 'b@example.com', password: 'password1' } }), 'userId', 'duplicate');
  t.equal((await api('GET', `/api/user/${USER_ID}`)).body.user.email, 'a@example.com');
  t.equal(userCount(app), 1);
});

t.test('a user with neither email nor username is refused with [blank]user.email and [blank]user.username', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const response = await api('POST', '/api/user', { user: { password: 'password1', firstName: 'Nobody' } });
  assertFieldError(t, response, 'user.email', 'blank');
  assertFieldError(t, response, 'user.username', 'blank');
  t.equal(userCount(app), 0);
});

t.test('a user with only a username is accepted', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/user', { user: { username: 'dinesh', password: 'password1' } });
  t.equal(response.status, 200);
  t.equal(response.body.user.username, 'dinesh');
  t.notOk('email' in response.body.user);
});

t.test('an email that is not one is refused with [notEmail]user.email', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'not-an-email', password: 'password1' } }), 'user.email', 'notEmail');
});

t.test('a duplicate email is refused with [duplicate]user.email, whatever its case', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  t.equal((await api('POST', '/api/user', { user: richard })).status, 200);
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'Richard@Example.COM', password: 'password1' } }), 'user.email', 'duplicate');
  t.equal(userCount(app), 1);
});

t.test('a duplicate username is refused with [duplicate]user.username, whatever its case', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', '/api/user', { user: richard });
  assertFieldError(t, await api('POST', '/api/user', { user: { username: 'RICHARD', password: 'password1' } }), 'user.username', 'duplicate');
  t.equal(userCount(app), 1);
});

t.test('the same email may be used in another tenant', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  const first = await api('POST', '/api/user', { user: richard }, { 'x-fusionauth-tenantid': TENANT_ID });
  const second = await api('POST', '/api/user', { user: richard }, { 'x-fusionauth-tenantid': OTHER_TENANT });
  t.equal(first.status, 200);
  t.equal(second.status, 200);
  t.equal(second.body.user.tenantId, OTHER_TENANT);
  t.not(first.body.user.id, second.body.user.id);
});

t.test('a user without a password is refused with [blank]user.password', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'a@example.com' } }), 'user.password', 'blank');
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'a@example.com', password: '' } }), 'user.password', 'blank');
  t.equal(userCount(app), 0);
});

t.test('a password shorter than 8 characters is refused with [tooShort]user.password', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'a@example.com', password: 'short12' } }), 'user.password', 'tooShort');
  t.equal(userCount(app), 0);
  t.equal((await api('POST', '/api/user', { user: { email: 'a@example.com', password: 'exactly8' } })).status, 200);
});

t.test('a password longer than 256 characters is refused with [tooLong]user.password', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertFieldError(t, await api('POST', '/api/user', { user: { email: 'a@example.com', password: 'x'.repeat(257) } }), 'user.password', 'tooLong');
});

t.test('every field error is reported at once', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/user', { user: { email: 'nope', password: 'short', birthDate: '23/11/1985', data: [] } });
  assertFieldError(t, response, 'user.email', 'notEmail');
  assertFieldError(t, response, 'user.password', 'tooShort');
  assertFieldError(t, response, 'user.birthDate', 'invalid');
  assertFieldError(t, response, 'user.data', 'invalid');
  t.same(Object.keys(response.body.fieldErrors).sort(), ['user.birthDate', 'user.data', 'user.email', 'user.password']);
});

t.test('server-owned fields sent in the body are ignored', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', `/api/user/${USER_ID}`, {
    user: {
      ...richard,
      id: 'cccccccc-0000-4000-8000-000000000003',
      tenantId: OTHER_TENANT,
      insertInstant: 1,
      registrations: [{ applicationId: 'x' }],
    },
  });
  t.equal(response.status, 200);
  t.match(response.body.user, { id: USER_ID, tenantId: TENANT_ID, insertInstant: T0, registrations: [] });
});

t.test('an unknown user id answers 404 with an empty body on GET, PUT, PATCH and DELETE', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertEmpty(t, await api('GET', `/api/user/${USER_ID}`), 404);
  assertEmpty(t, await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'a@example.com', password: 'password1' } }), 404);
  assertEmpty(t, await api('PATCH', `/api/user/${USER_ID}`, { user: { firstName: 'X' } }), 404);
  assertEmpty(t, await api('DELETE', `/api/user/${USER_ID}`), 404);
});

t.test('GET /api/user?email= finds the user without regard to case', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const { user } = (await api('POST', '/api/user', { user: richard })).body;
  const response = await api('GET', `/api/user?email=${encodeURIComponent('RICHARD@example.com')}`);
  t.equal(response.status, 200);
  t.same(response.body, { user });
  assertEmpty(t, await api('GET', '/api/user?email=richard'), 404);
  assertEmpty(t, await api('GET', '/api/user?email=nobody%40example.com'), 404);
});

t.test('GET /api/user?loginId= finds the user by email or by username, without regard to case', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const { user } = (await api('POST', '/api/user', { user: richard })).body;
  t.same((await api('GET', '/api/user?loginId=richard%40EXAMPLE.com')).body, { user });
  t.same((await api('GET', '/api/user?loginId=Richard')).body, { user });
  assertEmpty(t, await api('GET', '/api/user?loginId=gilfoyle'), 404);
});

t.test('GET /api/user?username= finds the user by username only', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const { user } = (await api('POST', '/api/user', { user: richard })).body;
  t.same((await api('GET', '/api/user?username=RICHARD')).body, { user });
  assertEmpty(t, await api('GET', `/api/user?username=${encodeURIComponent('richard@example.com')}`), 404);
});

t.test('GET /api/user with no id and no lookup parameter is refused with [missing]', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  assertGeneralError(t, await api('GET', '/api/user'), '[missing]');
});

t.test('PUT replaces the user: fields left out are gone, the password stays unless a new one is sent', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const { user: created } = (await api('POST', `/api/user/${USER_ID}`, { user: { ...richard, data: { a: 1 } } })).body;
  const [before] = hashes(app);

  const response = await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'richard@piedpiper.com', firstName: 'Rich' } });
  t.equal(response.status, 200);
  const { user } = response.body;
  t.match(user, {
    id: USER_ID,
    email: 'richard@piedpiper.com',
    firstName: 'Rich',
    data: {},
    insertInstant: created.insertInstant,
    passwordLastUpdateInstant: T0,
  });
  for (const field of ['username', 'lastName', 'birthDate']) t.notOk(field in user, `${field} is gone`);
  t.equal(hashes(app)[0]!.password_hash, before!.password_hash, 'the password hash is unchanged');
  t.same((await api('GET', `/api/user/${USER_ID}`)).body, { user });
  // The old email and username no longer find the user; the new email does.
  assertEmpty(t, await api('GET', '/api/user?email=richard%40example.com'), 404);
  assertEmpty(t, await api('GET', '/api/user?username=richard'), 404);
  t.equal((await api('GET', '/api/user?email=richard%40piedpiper.com')).body.user.id, USER_ID);

  const rehashed = await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'richard@piedpiper.com', password: 'new-password' } });
  t.equal(rehashed.status, 200);
  const after = hashes(app)[0]!.password_hash;
  t.match(after, /^\$argon2id\$/);
  t.not(after, before!.password_hash, 'a new password is hashed anew');
});

t.test('PUT checks the replacement like a create: short password, duplicate email', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  await api('POST', '/api/user', { user: { email: 'gilfoyle@example.com', password: 'password1' } });
  const [before] = hashes(app);
  assertFieldError(
    t,
    await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'richard@example.com', password: 'short' } }),
    'user.password',
    'tooShort',
  );
  assertFieldError(t, await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'GILFOYLE@example.com' } }), 'user.email', 'duplicate');
  t.equal(hashes(app)[0]!.password_hash, before!.password_hash);
  t.equal((await api('GET', `/api/user/${USER_ID}`)).body.user.firstName, 'Richard');
});

t.test('PATCH merges (RFC 7396): data merges, null removes, arrays replace', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', `/api/user/${USER_ID}`, { user: { ...richard, data: { keep: 1, drop: 2, tags: ['a', 'b'] } } });
  const [before] = hashes(app);
  const response = await api('PATCH', `/api/user/${USER_ID}`, {
    user: { firstName: null, lastName: 'H', data: { drop: null, tags: ['c'], added: true } },
  });
  t.equal(response.status, 200);
  const { user } = response.body;
  t.notOk('firstName' in user, 'null removed firstName');
  t.match(user, { email: 'richard@example.com', username: 'richard', lastName: 'H', birthDate: '1985-11-23' });
  t.same(user.data, { keep: 1, tags: ['c'], added: true });
  t.equal(hashes(app)[0]!.password_hash, before!.password_hash, 'a PATCH without a password keeps the hash');
  t.same((await api('GET', `/api/user/${USER_ID}`)).body, { user });
});

t.test("a PATCH that takes another user's email is refused with [duplicate]user.email and changes nothing", async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  await api('POST', '/api/user', { user: { email: 'gilfoyle@example.com', password: 'password1' } });
  assertFieldError(t, await api('PATCH', `/api/user/${USER_ID}`, { user: { email: 'gilfoyle@example.com' } }), 'user.email', 'duplicate');
  t.equal((await api('GET', `/api/user/${USER_ID}`)).body.user.email, 'richard@example.com');
});

t.test('DELETE deactivates the user: active false, still readable', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  assertEmpty(t, await api('DELETE', `/api/user/${USER_ID}`), 200);
  const read = await api('GET', `/api/user/${USER_ID}`);
  t.equal(read.status, 200);
  t.match(read.body.user, { id: USER_ID, active: false, email: 'richard@example.com' });
});

t.test('DELETE ?hardDelete=true removes the user, its row and its registrations', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  t.equal(
    (await api('POST', `/api/user/registration/${USER_ID}`, { registration: { applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32' } })).status,
    200,
  );
  assertEmpty(t, await api('DELETE', `/api/user/${USER_ID}?hardDelete=true`), 200);
  assertEmpty(t, await api('GET', `/api/user/${USER_ID}`), 404);
  assertEmpty(t, await api('GET', '/api/user?email=richard%40example.com'), 404);
  t.equal(userCount(app), 0);
  t.equal((app.standin.stores.db.prepare('SELECT count(*) AS n FROM registrations').get() as { n: number }).n, 0);
  // The email is free again.
  t.equal((await api('POST', '/api/user', { user: richard })).status, 200);
});

t.test('a hardDelete value that is not a boolean is refused', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/user/${USER_ID}`, { user: richard });
  assertGeneralError(t, await api('DELETE', `/api/user/${USER_ID}?hardDelete=yes-please`), '[invalid]');
  t.equal((await api('GET', `/api/user/${USER_ID}`)).body.user.active, true);
});

t.test('X-FusionAuth-TenantId hides users of other tenants from every user route', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  await api('POST', `/api/user/${USER_ID}`, { user: richard }, { 'x-fusionauth-tenantid': TENANT_ID });
  const other = { 'x-fusionauth-tenantid': OTHER_TENANT };
  assertEmpty(t, await api('GET', `/api/user/${USER_ID}`, undefined, other), 404);
  assertEmpty(t, await api('GET', '/api/user?email=richard%40example.com', undefined, other), 404);
  assertEmpty(t, await api('GET', '/api/user?loginId=richard', undefined, other), 404);
  assertEmpty(t, await api('PUT', `/api/user/${USER_ID}`, { user: { email: 'x@example.com' } }, other), 404);
  assertEmpty(t, await api('PATCH', `/api/user/${USER_ID}`, { user: { firstName: 'X' } }, other), 404);
  assertEmpty(t, await api('DELETE', `/api/user/${USER_ID}?hardDelete=true`, undefined, other), 404);
  const read = await api('GET', `/api/user/${USER_ID}`, undefined, { 'x-fusionauth-tenantid': TENANT_ID });
  t.match(read.body.user, { firstName: 'Richard', email: 'richard@example.com' });
});

t.test('with two tenants and no X-FusionAuth-TenantId, a lookup by email is refused with [TenantIdRequired]', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/tenant/${OTHER_TENANT}`, { tenant: { name: 'Second' } });
  assertGeneralError(t, await api('GET', '/api/user?email=richard%40example.com'), '[TenantIdRequired]');
});
