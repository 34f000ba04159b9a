import { FusionAuthClient, type User, type UserResponse } from '@fusionauth/typescript-client';
import t from 'tap';
import { oauthLogin } from '../helpers/e2e-oauth-login.js';
import { assertEmpty, assertFieldError, assertGeneralError, assertJsonError, settle, startTenantStandin } from '../helpers/fixtures.js';

// Users and registrations (docs/management-api.md): each client method FusionAuth apps call, through
// @fusionauth/typescript-client against a live Standin, on the happy path and FusionAuth's documented failures.
const API_KEY = 'client-users-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'c1000000-0000-4000-8000-000000000001';
const STORE_SECRET = 'store-secret-0123456789abcdefghijkl';
const CALLBACK = 'http://localhost:3000/callback';
const RICHARD_ID = 'c2000000-0000-4000-8000-000000000001';
const RICHARD = { loginId: 'richard@example.com', password: 'password1' };
const UNKNOWN = 'c9999999-0000-4000-8000-000000000009';

/** Every profile field FusionAuth stores and returns as given (user data round-trips). */
const PROFILE = {
  firstName: 'Dinesh',
  middleName: 'K',
  lastName: 'Chugtai',
  fullName: 'Dinesh K. Chugtai',
  birthDate: '1987-03-14',
  imageUrl: 'https://example.com/dinesh.png',
  username: 'dinesh',
  mobilePhone: '+15555550100',
  preferredLanguages: ['en', 'ur'],
  timezone: 'America/Los_Angeles',
  data: { plan: 'gold', nested: { a: 1, list: [1, 'two', { three: 3 }] }, nothing: null },
};

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    {
      url: `/api/application/${STORE}`,
      body: {
        application: {
          name: 'Store',
          roles: [{ name: 'user', isDefault: true }, { name: 'admin' }],
          oauthConfiguration: {
            authorizedRedirectURLs: [CALLBACK],
            clientSecret: STORE_SECRET,
            enabledGrants: ['authorization_code', 'refresh_token'],
            generateRefreshTokens: true,
          },
        },
      },
    },
    {
      url: `/api/user/registration/${RICHARD_ID}`,
      body: { user: { email: RICHARD.loginId, password: RICHARD.password, firstName: 'Richard' }, registration: { applicationId: STORE } },
    },
  ],
});

const client = new FusionAuthClient(API_KEY, standin.url);
const noKey = new FusionAuthClient('not-the-api-key', standin.url);
const store = { url: standin.url, clientId: STORE, clientSecret: STORE_SECRET, redirectUri: CALLBACK };

async function newUser(email: string, extra: Partial<User> = {}): Promise<User> {
  const response = await client.createUser(undefined as unknown as string, { user: { email, password: 'password1', ...extra } });
  return response.response.user!;
}

t.test('createUser: 200 with every profile field as given; duplicate email 400; no API key 401', async (t) => {
  const created = await client.createUser(undefined as unknown as string, {
    user: { email: 'dinesh@example.com', password: 'password1', ...PROFILE },
  });
  t.equal(created.statusCode, 200);
  const user = created.response.user!;
  t.match(user.id, /^[0-9a-f-]{36}$/);
  t.match(user, { ...PROFILE, email: 'dinesh@example.com', active: true, verified: true, tenantId: TENANT });
  t.same(user.data, PROFILE.data, 'data exactly as sent, null included');
  t.notOk('password' in user, 'no password in the answer');

  const duplicate = await settle(client.createUser(undefined as unknown as string, { user: { email: 'DINESH@example.com', password: 'password1' } }));
  assertFieldError(t, duplicate, 'user.email', 'duplicate');
  assertFieldError(
    t,
    await settle(client.createUser(undefined as unknown as string, { user: { username: 'dinesh', password: 'password1' } })),
    'user.username',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(client.createUser(undefined as unknown as string, { user: { email: 'short@example.com', password: 'short' } })),
    'user.password',
    'tooShort',
  );
  assertEmpty(t, await settle(noKey.createUser(undefined as unknown as string, { user: { email: 'x@example.com', password: 'password1' } })), 401);

  // The client hides headers: a raw call shows the error body is typed JSON.
  const raw = await fetch(`${standin.url}/api/user`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email: 'dinesh@example.com', password: 'password1' } }),
  });
  await assertJsonError(t, raw, 400);
});

t.test('retrieveUser: 200 with the profile round-tripped and its registrations; unknown id 404; no API key 401', async (t) => {
  const id = (await newUser('gilfoyle@example.com', PROFILE_FOR('gilfoyle'))).id!;
  const read = await client.retrieveUser(id);
  t.equal(read.statusCode, 200);
  t.match(read.response.user, PROFILE_FOR('gilfoyle'));
  t.same(read.response.user!.data, PROFILE.data);
  t.same(read.response.user!.registrations, []);
  const richard = await client.retrieveUser(RICHARD_ID);
  t.same(
    richard.response.user!.registrations!.map((r: { applicationId?: string }) => r.applicationId),
    [STORE],
  );
  assertEmpty(t, await settle(client.retrieveUser(UNKNOWN)), 404);
  assertEmpty(t, await settle(noKey.retrieveUser(id)), 401);
});

t.test('retrieveUserByEmail: 200 whatever the case; unknown email 404', async (t) => {
  const read = await client.retrieveUserByEmail('RICHARD@example.com');
  t.equal(read.statusCode, 200);
  t.equal(read.response.user!.id, RICHARD_ID);
  assertEmpty(t, await settle(client.retrieveUserByEmail('nobody@example.com')), 404);
});

t.test('retrieveUserByLoginId: by email or by username; unknown 404', async (t) => {
  const user = await newUser('jared@example.com', { username: 'jared' });
  t.equal((await client.retrieveUserByLoginId('jared@example.com')).response.user!.id, user.id);
  t.equal((await client.retrieveUserByLoginId('JARED')).response.user!.id, user.id);
  assertEmpty(t, await settle(client.retrieveUserByLoginId('nobody')), 404);
});

t.test('retrieveUserByUsername: 200; unknown username 404', async (t) => {
  const user = await newUser('monica@example.com', { username: 'monica' });
  const read = await client.retrieveUserByUsername('monica');
  t.equal(read.statusCode, 200);
  t.equal(read.response.user!.id, user.id);
  assertEmpty(t, await settle(client.retrieveUserByUsername('nobody')), 404);
});

t.test("retrieveUserUsingJWT: GET /api/user with the user's own access token, no API key; bad token 401", async (t) => {
  // The method left @fusionauth/typescript-client (1.69 has no retrieveUserUsingJWT); its request, built with
  // the client's own REST builder exactly as the method built it: anonymous, `Authorization: Bearer <jwt>`.
  const usingJwt = (jwt: string) =>
    settle(
      client.clientBuilder.build<UserResponse, unknown>(standin.url).withUri('/api/user').withAuthorization(`Bearer ${jwt}`).withMethod('GET').go(),
    );
  const tokens = await oauthLogin(store, RICHARD);
  const read = await usingJwt(tokens.access_token);
  t.equal(read.statusCode, 200);
  t.equal(read.response.user!.id, RICHARD_ID);
  t.same(
    read.response.user!.registrations!.map((r: { applicationId?: string }) => r.applicationId),
    [STORE],
  );
  assertEmpty(t, await usingJwt(`${tokens.access_token.slice(0, -4)}AAAA`), 401);
  assertEmpty(t, await usingJwt('not.a.jwt'), 401);
  const cookie = await fetch(`${standin.url}/api/user`, { headers: { cookie: `access_token=${tokens.access_token}` } });
  t.equal(cookie.status, 200, 'the access_token cookie works too');
  t.equal((await fetch(`${standin.url}/api/user`)).status, 401, 'nothing at all: 401');
});

t.test('updateUser: PUT replaces the user (fields not sent are gone), password optional; unknown id 404', async (t) => {
  const user = await newUser('laurie@example.com', PROFILE_FOR('laurie'));
  const updated = await client.updateUser(user.id!, { user: { email: 'laurie@example.com', firstName: 'Laurie', data: { only: true } } });
  t.equal(updated.statusCode, 200);
  t.equal(updated.response.user!.firstName, 'Laurie');
  t.same(updated.response.user!.data, { only: true });
  t.notOk('middleName' in updated.response.user!, 'a field PUT leaves out is removed');
  t.same((await client.retrieveUser(user.id!)).response.user, updated.response.user, 'as stored');
  assertFieldError(t, await settle(client.updateUser(user.id!, { user: { email: 'richard@example.com' } })), 'user.email', 'duplicate');
  assertEmpty(t, await settle(client.updateUser(UNKNOWN, { user: { email: 'x@example.com' } })), 404);
});

t.test('patchUser: the client sends JSON, merged as RFC 7396 (null removes); merge-patch+json accepted too; unknown id 404', async (t) => {
  const user = await newUser('erlich@example.com', PROFILE_FOR('erlich'));
  const patched = await client.patchUser(user.id!, { user: { lastName: 'Bachman', data: { nested: { a: 2 }, plan: null } } });
  t.equal(patched.statusCode, 200);
  const after = patched.response.user!;
  t.equal(after.lastName, 'Bachman');
  t.equal(after.firstName, PROFILE_FOR('erlich').firstName, 'untouched fields stay');
  t.same(after.data, { nested: { a: 2, list: [1, 'two', { three: 3 }] }, nothing: null }, 'objects merge, null removes');
  t.same((await client.retrieveUser(user.id!)).response.user, after, 'as stored');

  const raw = await fetch(`${standin.url}/api/user/${user.id}`, {
    method: 'PATCH',
    headers: { authorization: API_KEY, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ user: { timezone: 'Europe/Paris' } }),
  });
  t.equal(raw.status, 200);
  t.equal(((await raw.json()) as UserResponse).user!.timezone, 'Europe/Paris');
  assertEmpty(t, await settle(client.patchUser(UNKNOWN, { user: { firstName: 'X' } })), 404);
});

t.test('deleteUser (hardDelete=true) removes the user; deactivateUser (soft) keeps it inactive; unknown id 404', async (t) => {
  const gone = await newUser('peter@example.com');
  const deleted = await client.deleteUser(gone.id!);
  t.equal(deleted.statusCode, 200);
  assertEmpty(t, await settle(client.retrieveUser(gone.id!)), 404);
  assertEmpty(t, await settle(client.deleteUser(gone.id!)), 404);

  const soft = await newUser('gavin@example.com');
  t.equal((await client.deactivateUser(soft.id!)).statusCode, 200);
  t.equal((await client.retrieveUser(soft.id!)).response.user!.active, false, 'soft delete: still there, inactive');
  assertEmpty(t, await settle(noKey.deleteUser(soft.id!)), 401);
});

t.test('searchUsersByIds: {total, users} for the ids that exist, in order; an Elasticsearch query is 400 [NotModelled]', async (t) => {
  const a = await newUser('search-a@example.com');
  const b = await newUser('search-b@example.com');
  const found = await client.searchUsersByIds([b.id!, UNKNOWN, a.id!]);
  t.equal(found.statusCode, 200);
  t.equal(found.response.total, 2);
  t.same(
    found.response.users!.map((user) => user.id),
    [b.id, a.id],
  );
  assertGeneralError(t, await settle(client.searchUsersByQuery({ search: { query: '{"match_all":{}}' } })), '[NotModelled]');
  assertEmpty(t, await settle(noKey.searchUsersByIds([a.id!])), 401);
});

t.test('register, existing user: 200 with default roles and data; already registered 400; unknown application 400; unknown user 404', async (t) => {
  const user = await newUser('big-head@example.com');
  const registered = await client.register(user.id!, {
    registration: { applicationId: STORE, data: { favourite: 'hot dog' }, preferredLanguages: ['fr'], timezone: 'UTC', username: 'bighead' },
  });
  t.equal(registered.statusCode, 200);
  t.match(registered.response.registration, {
    applicationId: STORE,
    roles: ['user'],
    data: { favourite: 'hot dog' },
    preferredLanguages: ['fr'],
    timezone: 'UTC',
    username: 'bighead',
    verified: true,
  });
  assertFieldError(t, await settle(client.register(user.id!, { registration: { applicationId: STORE } })), 'registration', 'duplicate');
  assertFieldError(t, await settle(client.register(user.id!, { registration: { applicationId: UNKNOWN } })), 'registration.applicationId', 'invalid');
  assertEmpty(t, await settle(client.register(UNKNOWN, { registration: { applicationId: STORE } })), 404);
});

t.test('register, combined form: user and registration created together; a duplicate email creates neither', async (t) => {
  const created = await client.register(undefined as unknown as string, {
    user: { email: 'carla@example.com', password: 'password1', firstName: 'Carla', data: { team: 'dev' } },
    registration: { applicationId: STORE, roles: ['admin'], data: { seat: 7 } },
  });
  t.equal(created.statusCode, 200);
  t.match(created.response.user, { email: 'carla@example.com', firstName: 'Carla', data: { team: 'dev' } });
  t.match(created.response.registration, { applicationId: STORE, roles: ['admin'], data: { seat: 7 } });
  const duplicate = await settle(
    client.register(undefined as unknown as string, {
      user: { email: 'carla@example.com', password: 'password1' },
      registration: { applicationId: STORE },
    }),
  );
  assertFieldError(t, duplicate, 'user.email', 'duplicate');
});

t.test('retrieveRegistration: 200 with data as stored; not registered 404', async (t) => {
  const user = await newUser('nelson@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE, data: { a: [1, 2] } } });
  const read = await client.retrieveRegistration(user.id!, STORE);
  t.equal(read.statusCode, 200);
  t.same(read.response.registration!.data, { a: [1, 2] });
  assertEmpty(t, await settle(client.retrieveRegistration(user.id!, UNKNOWN)), 404);
  assertEmpty(t, await settle(client.retrieveRegistration(UNKNOWN, STORE)), 404);
});

t.test('deleteRegistration: 200 with no body, then 404', async (t) => {
  const user = await newUser('russ@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const deleted = await client.deleteRegistration(user.id!, STORE);
  t.equal(deleted.statusCode, 200);
  t.equal(deleted.response, undefined);
  assertEmpty(t, await settle(client.retrieveRegistration(user.id!, STORE)), 404);
  assertEmpty(t, await settle(client.deleteRegistration(user.id!, STORE)), 404);
});

t.test('changePassword with a changePasswordId: new password works, refresh tokens revoked (onPasswordChanged), id single-use', async (t) => {
  const user = await newUser('jian@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const before = await oauthLogin(store, { loginId: 'jian@example.com', password: 'password1' });
  t.ok(before.refresh_token);

  const started = await client.forgotPassword({ loginId: 'jian@example.com', sendForgotPasswordEmail: false });
  t.equal(started.statusCode, 200);
  const changePasswordId = started.response.changePasswordId!;
  t.type(changePasswordId, 'string');
  t.equal((await client.retrieveUserByChangePasswordId(changePasswordId)).response.user!.id, user.id, 'retrieveUserByChangePasswordId');

  assertFieldError(t, await settle(client.changePassword(changePasswordId, { password: 'short' })), 'password', 'tooShort');
  const changed = await client.changePassword(changePasswordId, { password: 'new-password-1' });
  t.equal(changed.statusCode, 200);
  assertEmpty(t, await settle(client.changePassword(changePasswordId, { password: 'new-password-2' })), 404);
  assertEmpty(t, await settle(client.changePassword('no-such-change-password-id', { password: 'new-password-2' })), 404);

  t.equal(
    (await settle(client.exchangeRefreshTokenForJWT({ refreshToken: before.refresh_token! }))).statusCode,
    400,
    'the old refresh token is revoked',
  );
  await t.rejects(oauthLogin(store, { loginId: 'jian@example.com', password: 'password1' }), 'the old password no longer logs in');
  t.ok((await oauthLogin(store, { loginId: 'jian@example.com', password: 'new-password-1' })).access_token, 'the new one does');

  t.equal((await client.forgotPassword({ loginId: 'jian@example.com' })).statusCode, 200, 'asking for the email is modelled');
  assertEmpty(t, await settle(client.forgotPassword({ loginId: 'nobody@example.com', sendForgotPasswordEmail: false })), 404);
});

t.test("changePasswordByIdentity: {loginId, currentPassword, password} with an API key, 200 no body; FusionAuth's 400s; no key 401", async (t) => {
  const user = await newUser('ron@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const session = await oauthLogin(store, { loginId: 'ron@example.com', password: 'password1' });

  const changed = await client.changePasswordByIdentity({ loginId: 'ron@example.com', currentPassword: 'password1', password: 'password2' });
  t.equal(changed.statusCode, 200);
  t.equal(changed.response, undefined, 'no body with an API key');
  t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: session.refresh_token! }))).statusCode, 400, 'refresh tokens revoked');

  assertFieldError(
    t,
    await settle(client.changePasswordByIdentity({ loginId: 'ron@example.com', currentPassword: 'wrong-password', password: 'password3' })),
    'currentPassword',
    'invalid',
  );
  assertFieldError(t, await settle(client.changePasswordByIdentity({ loginId: 'nobody@example.com', password: 'password3' })), 'loginId', 'invalid');
  assertFieldError(t, await settle(client.changePasswordByIdentity({ loginId: 'ron@example.com' })), 'password', 'blank');
  assertEmpty(t, await settle(noKey.changePasswordByIdentity({ loginId: 'ron@example.com', password: 'password3' })), 401);
  t.ok((await oauthLogin(store, { loginId: 'ron@example.com', password: 'password2' })).access_token, 'password2 logs in');
});

t.test("changePasswordByIdentity keeps refresh tokens when the tenant's onPasswordChanged is false", async (t) => {
  await client.patchTenant(TENANT, { tenant: { jwtConfiguration: { refreshTokenRevocationPolicy: { onPasswordChanged: false } } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { jwtConfiguration: { refreshTokenRevocationPolicy: { onPasswordChanged: true } } } }));
  const user = await newUser('keep@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const session = await oauthLogin(store, { loginId: 'keep@example.com', password: 'password1' });
  await client.changePasswordByIdentity({ loginId: 'keep@example.com', password: 'password2' });
  t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: session.refresh_token! })).statusCode, 200, 'the refresh token still works');
});

t.test("changePasswordUsingJWT: the user's own token and currentPassword; wrong currentPassword 404; bad token 401", async (t) => {
  const user = await newUser('jack@example.com');
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const { access_token } = await oauthLogin(store, { loginId: 'jack@example.com', password: 'password1' });
  assertFieldError(t, await settle(client.changePasswordUsingJWT(access_token, { password: 'password2' })), 'currentPassword', 'blank');
  assertEmpty(t, await settle(client.changePasswordUsingJWT(access_token, { currentPassword: 'wrong-password', password: 'password2' })), 404);
  assertEmpty(t, await settle(client.changePasswordUsingJWT('not.a.jwt', { currentPassword: 'password1', password: 'password2' })), 401);
  const changed = await client.changePasswordUsingJWT(access_token, { currentPassword: 'password1', password: 'password2' });
  t.equal(changed.statusCode, 200);
  t.ok((await oauthLogin(store, { loginId: 'jack@example.com', password: 'password2' })).access_token);
});

t.test('user data appears in the id token and userinfo as the profile, email and phone scopes ask (Strict)', async (t) => {
  const user = await newUser('profile@example.com', PROFILE_FOR('profile'));
  await client.register(user.id!, { registration: { applicationId: STORE } });
  const tokens = await oauthLogin(store, { loginId: 'profile@example.com', password: 'password1' }, 'openid profile email phone');
  const expected = {
    sub: user.id,
    email: 'profile@example.com',
    email_verified: true,
    given_name: PROFILE.firstName,
    middle_name: PROFILE.middleName,
    family_name: PROFILE.lastName,
    name: PROFILE.fullName,
    preferred_username: 'profile',
    birthdate: PROFILE.birthDate,
    picture: PROFILE.imageUrl,
    locale: 'en',
    zoneinfo: PROFILE.timezone,
    phone_number: PROFILE.mobilePhone,
  };
  const idToken = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString());
  t.match(idToken, expected, 'id token');
  const userinfo = await client.retrieveUserInfoFromAccessToken(tokens.access_token);
  t.match(userinfo.response, expected, 'userinfo');

  const bare = await oauthLogin(store, { loginId: 'profile@example.com', password: 'password1' }, 'openid');
  const bareInfo = (await client.retrieveUserInfoFromAccessToken(bare.access_token)).response as Record<string, unknown>;
  t.notOk('given_name' in bareInfo || 'email' in bareInfo || 'phone_number' in bareInfo, 'no scopes, no claims (Strict)');
});

t.test('an endpoint Standin does not model answers 404 [NotModelled] as JSON', async (t) => {
  const response = await settle(client.retrieveReactorStatus());
  assertGeneralError(t, response, '[NotModelled]', 404);
  t.match(response.exception?.generalErrors?.[0]?.message, 'GET /api/reactor');
  await assertJsonError(t, await fetch(`${standin.url}/api/reactor`, { headers: { authorization: API_KEY } }), 404);
});

/** The profile with a username of its own, so that several users can carry it. */
function PROFILE_FOR(username: string): Partial<User> {
  return { ...PROFILE, username };
}
