import { FusionAuthClient, type ApplicationRole } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';

// The management API as FusionAuth's own client drives it: the tenant a combined create implies, roles as
// plain strings, every body form of the client's methods, the tokens a registration answers with, and the
// one-time password a password change answers with (docs/management-api.md).
const API_KEY = 'client-management-api-key-0123456789abcdef';
const TENANT_A = 'a1000000-0000-4000-8000-000000000001';
const TENANT_B = 'a1000000-0000-4000-8000-000000000002';
const RSA_KEY = 'a2000000-0000-4000-8000-000000000001';
/** Tenant A: Login API refresh tokens on, roles given as plain strings. */
const APP_A = 'a3000000-0000-4000-8000-000000000001';
const APP_A_SECRET = 'app-a-secret-0123456789abcdefghijklmnop';
/** Tenant B: no Login API refresh tokens. */
const APP_B = 'a3000000-0000-4000-8000-000000000002';
const RICHARD_ID = 'a4000000-0000-4000-8000-000000000001';
const RICHARD = { loginId: 'richard@example.com', password: 'password1' };
const UNKNOWN = 'a9999999-0000-4000-8000-000000000009';
const T0 = Date.now();

let clock = T0;
const jwtConfiguration = { enabled: true, accessTokenKeyId: RSA_KEY, idTokenKeyId: RSA_KEY };
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  now: () => clock,
  kickstart: {
    variables: { defaultTenantId: TENANT_A },
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/key/generate/${RSA_KEY}`, body: { key: { algorithm: 'RS256', name: 'RSA for tests', length: 2048 } } },
      { url: `/api/tenant/${TENANT_B}`, body: { tenant: { name: 'Second tenant' } } },
      {
        url: `/api/application/${APP_A}`,
        tenantId: TENANT_A,
        body: {
          application: {
            name: 'A',
            roles: ['admin', 'user'],
            jwtConfiguration,
            oauthConfiguration: {
              clientSecret: APP_A_SECRET,
              enabledGrants: ['password', 'refresh_token', 'client_credentials'],
              generateRefreshTokens: true,
            },
            loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
          },
        },
      },
      { url: `/api/application/${APP_B}`, tenantId: TENANT_B, body: { application: { name: 'B', roles: ['reader'], jwtConfiguration } } },
      {
        url: `/api/user/registration/${RICHARD_ID}`,
        tenantId: TENANT_A,
        body: { user: { email: RICHARD.loginId, password: RICHARD.password }, registration: { applicationId: APP_A } },
      },
    ],
  },
});
t.teardown(() => standin.close());

/** Names no tenant: with several tenants, only what the request implies picks one. */
const anyTenant = new FusionAuthClient(API_KEY, standin.url);
/** Most calls act in tenant A, as an app of that tenant would. */
const client = new FusionAuthClient(API_KEY, standin.url, TENANT_A);
const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));
const none = undefined as unknown as string;
let serial = 0;
const email = (name: string) => `${name}-${++serial}@example.com`;

/** A new user of tenant A registered to APP_A, through the combined create. */
async function newUser(name: string, roles?: string[]): Promise<{ id: string; loginId: string }> {
  const loginId = email(name);
  const answer = await client.register(none, {
    user: { email: loginId, password: 'password1' },
    registration: { applicationId: APP_A, ...(roles ? { roles } : {}) },
  });
  return { id: answer.response.user!.id!, loginId };
}

async function login(loginId: string, password = 'password1', applicationId = APP_A) {
  return settle(client.login({ loginId, password, applicationId }));
}

t.test('a combined create without tenantId, with several tenants, takes the tenant from the application', async (t) => {
  const inB = await anyTenant.register(none, { user: { email: email('dinesh'), password: 'password1' }, registration: { applicationId: APP_B } });
  t.equal(inB.statusCode, 200);
  t.equal(inB.response.user!.tenantId, TENANT_B, 'tenant of APP_B');
  t.equal(inB.response.registration!.applicationId, APP_B);
  const inA = await anyTenant.register(none, { user: { email: email('dinesh'), password: 'password1' }, registration: { applicationId: APP_A } });
  t.equal(inA.response.user!.tenantId, TENANT_A, 'tenant of APP_A; the same email is free in another tenant');

  // Nothing to take the tenant from: FusionAuth's [TenantIdRequired], and nothing written.
  const unknownApp = await settle(
    anyTenant.register(none, { user: { email: 'nobody@example.com', password: 'password1' }, registration: { applicationId: UNKNOWN } }),
  );
  assertGeneralError(t, unknownApp, '[TenantIdRequired]');
  t.match(
    unknownApp.exception?.generalErrors?.[0]?.message,
    /^A Tenant Id is required to complete this request\. .*X-FusionAuth-TenantId/,
    "FusionAuth's message",
  );
  // A named tenant still wins: APP_B is not in tenant A.
  assertFieldError(
    t,
    await settle(client.register(none, { user: { email: email('x'), password: 'password1' }, registration: { applicationId: APP_B } })),
    'registration.applicationId',
    'invalid',
  );
  // createUser alone names no application: still [TenantIdRequired].
  assertGeneralError(t, await settle(anyTenant.createUser(none, { user: { email: email('y'), password: 'password1' } })), '[TenantIdRequired]');
});

t.test('roles given as plain strings become roles of those names, answered as objects', async (t) => {
  const created = await client.createApplication(none, {
    application: { name: 'Strings', roles: ['admin', 'user'] as unknown as ApplicationRole[] },
  });
  t.equal(created.statusCode, 200);
  const roles = created.response.application!.roles!;
  t.same(
    roles.map((role) => [role.name, role.isDefault, role.isSuperRole]),
    [
      ['admin', false, false],
      ['user', false, false],
    ],
  );
  for (const role of roles) t.match(role.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const id = created.response.application!.id!;
  t.same((await client.retrieveApplication(id)).response.application!.roles, roles, 'stored as objects');

  // PUT and PATCH take strings too; a role named as before keeps its id; objects still work.
  const patched = await client.patchApplication(id, { application: { roles: ['admin', 'editor'] as unknown as ApplicationRole[] } });
  const byName = Object.fromEntries(patched.response.application!.roles!.map((role) => [role.name, role]));
  t.equal(byName.admin!.id, roles[0]!.id, 'admin keeps its id');
  t.ok(byName.editor!.id, 'editor gets one');
  const put = await client.updateApplication(id, {
    application: { name: 'Strings', roles: ['viewer', { name: 'owner', isSuperRole: true }] as unknown as ApplicationRole[] },
  });
  t.same(
    put.response.application!.roles!.map((role) => [role.name, role.isSuperRole]),
    [
      ['viewer', false],
      ['owner', true],
    ],
  );
  assertFieldError(
    t,
    await settle(client.createApplication(none, { application: { name: 'Twice', roles: ['a', 'a'] as unknown as ApplicationRole[] } })),
    'application.roles[1].name',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(client.createApplication(none, { application: { name: 'Blank', roles: [''] as unknown as ApplicationRole[] } })),
    'application.roles[0].name',
    'blank',
  );

  // The kickstart's APP_A was created with strings: a registration with roles:["admin"] logs in with that role.
  const user = await newUser('gilfoyle', ['admin']);
  const answer = await login(user.loginId);
  t.equal(answer.statusCode, 200);
  t.same(decodeJwt(answer.response.token!).roles, ['admin'], 'the role is in the login token');
});

t.test('register answers a JWT that verifies against the JWKS and a refresh token that works at /api/jwt/refresh', async (t) => {
  const loginId = email('jared');
  const answer = await client.register(none, {
    user: { email: loginId, password: 'password1' },
    registration: { applicationId: APP_A, roles: ['user'] },
  });
  t.equal(answer.statusCode, 200);
  const { token, tokenExpirationInstant, refreshToken, refreshTokenId, user } = answer.response;
  const { payload, protectedHeader } = await jwtVerify(token!, jwks, { issuer: standin.issuer, audience: APP_A });
  t.equal(protectedHeader.alg, 'RS256');
  t.match(payload, { sub: user!.id, applicationId: APP_A, roles: ['user'], tid: TENANT_A, authenticationType: 'REGISTRATION', sid: refreshTokenId });
  t.equal(tokenExpirationInstant, payload.exp! * 1000, 'tokenExpirationInstant in milliseconds');
  t.ok(refreshToken, 'APP_A generates refresh tokens');
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! });
  t.equal(refreshed.statusCode, 200);
  t.equal((await jwtVerify(refreshed.response.token!, jwks, { audience: APP_A })).payload.sub, user!.id);

  // Registering an existing user answers the same way.
  const monica = await new FusionAuthClient(API_KEY, standin.url, TENANT_B).createUser(none, {
    user: { email: email('monica'), password: 'password1' },
  });
  const registered = await anyTenant.register(monica.response.user!.id!, { registration: { applicationId: APP_B, roles: ['reader'] } });
  t.equal(registered.statusCode, 200);
  t.same(Object.keys(registered.response).sort(), ['registration', 'token', 'tokenExpirationInstant'], 'APP_B generates no refresh tokens');
  const verified = await jwtVerify(registered.response.token!, jwks, { audience: APP_B });
  t.match(verified.payload, { sub: monica.response.user!.id, roles: ['reader'], tid: TENANT_B, authenticationType: 'REGISTRATION' });
});

t.test('body forms: deleteUserWithRequest honours hardDelete', async (t) => {
  const hard = await newUser('erlich');
  t.equal((await client.deleteUserWithRequest(hard.id, { hardDelete: true })).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveUser(hard.id)), 404);
  const soft = await newUser('bighead');
  t.equal((await client.deleteUserWithRequest(soft.id, { hardDelete: false })).statusCode, 200);
  t.equal((await client.retrieveUser(soft.id)).response.user!.active, false, 'deactivated, not deleted');
  assertEmpty(t, await settle(client.deleteUserWithRequest(UNKNOWN, { hardDelete: true })), 404);
});

t.test('body forms: deleteRegistrationWithRequest, deleteTenantWithRequest, deleteApplication with a body', async (t) => {
  const user = await newUser('laurie');
  t.equal((await client.deleteRegistrationWithRequest(user.id, APP_A, { eventInfo: { userAgent: 'test' } })).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveRegistration(user.id, APP_A)), 404);

  const tenantId = (await anyTenant.createTenant(none, { tenant: { name: `Doomed ${serial++}` } })).response.tenant!.id!;
  t.equal((await anyTenant.deleteTenantWithRequest(tenantId, { async: false })).statusCode, 200);
  assertEmpty(t, await settle(anyTenant.retrieveTenant(tenantId)), 404);

  const applicationId = (await client.createApplication(none, { application: { name: 'Doomed' } })).response.application!.id!;
  // No client method sends it, but FusionAuth's request object carries hardDelete: a JSON body is read too.
  const raw = await fetch(`${standin.url}/api/application/${applicationId}`, {
    method: 'DELETE',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ hardDelete: true }),
  });
  t.equal(raw.status, 200);
  assertEmpty(t, await settle(client.retrieveApplication(applicationId)), 404);
});

t.test('body forms: revokeRefreshTokensWithRequest and logoutWithRequest', async (t) => {
  const user = await newUser('ron');
  const first = (await login(user.loginId)).response.refreshToken!;
  t.equal((await client.revokeRefreshTokensWithRequest({ userId: user.id, applicationId: APP_A })).statusCode, 200);
  t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: first }))).statusCode, 400, 'revoked by userId and applicationId');
  const second = (await login(user.loginId)).response.refreshToken!;
  t.equal((await client.logoutWithRequest({ global: true, refreshToken: second })).statusCode, 200);
  t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: second }))).statusCode, 400, 'revoked by logoutWithRequest');
});

t.test('body forms: retrieveUserByLoginIdWithLoginIdTypes, searchUsersByIds, searchUsersByQuery, loginPingWithRequest', async (t) => {
  const loginId = email('carla');
  const created = await client.register(none, {
    user: { email: loginId, username: `carla${serial}`, password: 'password1' },
    registration: { applicationId: APP_A },
  });
  const id = created.response.user!.id!;
  const username = created.response.user!.username!;
  t.equal((await client.retrieveUserByLoginIdWithLoginIdTypes(username, ['username'])).response.user!.id, id);
  t.equal((await client.retrieveUserByLoginIdWithLoginIdTypes(loginId, ['email', 'username'])).response.user!.id, id);
  assertEmpty(t, await settle(client.retrieveUserByLoginIdWithLoginIdTypes(username, ['email'])), 404);
  assertFieldError(t, await settle(client.retrieveUserByLoginIdWithLoginIdTypes(username, ['carrier-pigeon'])), 'loginIdTypes', 'invalid');
  t.same(
    (await client.searchUsersByIds([id, UNKNOWN])).response.users!.map((user) => user.id),
    [id],
  );
  t.same(
    (await client.searchUsersByQuery({ search: { ids: [id] } })).response.users!.map((user) => user.id),
    [id],
  );
  t.equal((await client.loginPingWithRequest({ userId: id, applicationId: APP_A })).statusCode, 200);
});

t.test('body forms: forgotPassword and changePasswordByIdentity', async (t) => {
  const user = await newUser('nelson');
  const started = await client.forgotPassword({ loginId: user.loginId, sendForgotPasswordEmail: false, state: { next: '/cart' } });
  t.equal(started.statusCode, 200);
  t.ok(started.response.changePasswordId);
  const changed = await client.changePasswordByIdentity({ loginId: user.loginId, password: 'password2' });
  t.equal(changed.statusCode, 200);
  t.equal(changed.response, undefined, 'the API-key form answers no body');
  t.equal((await login(user.loginId, 'password2')).statusCode, 200);
  assertEmpty(t, await settle(client.checkChangePasswordUsingId(started.response.changePasswordId!)), 404);
});

t.test('OAuth request-object forms: password, refresh and client credentials grants', async (t) => {
  const tokens = await client.exchangeUserCredentialsForAccessTokenWithRequest({
    client_id: APP_A,
    client_secret: APP_A_SECRET,
    grant_type: 'password',
    username: RICHARD.loginId,
    password: RICHARD.password,
    scope: 'offline_access',
    tenantId: TENANT_A,
  });
  t.equal(tokens.statusCode, 200);
  const refreshed = await client.exchangeRefreshTokenForAccessTokenWithRequest({
    client_id: APP_A,
    client_secret: APP_A_SECRET,
    grant_type: 'refresh_token',
    refresh_token: tokens.response.refresh_token!,
    tenantId: TENANT_A,
  });
  t.equal(refreshed.statusCode, 200);
  const machine = await client.clientCredentialsGrantWithRequest({
    client_id: APP_A,
    client_secret: APP_A_SECRET,
    grant_type: 'client_credentials',
    tenantId: TENANT_A,
  });
  t.equal(machine.statusCode, 200);
});

t.test('changePassword answers a oneTimePassword that logs the user in once', async (t) => {
  const user = await newUser('russ');
  const started = await client.forgotPassword({ loginId: user.loginId, sendForgotPasswordEmail: false, state: { next: '/cart' } });
  const changePasswordId = started.response.changePasswordId!;
  t.equal((await client.checkChangePasswordUsingId(changePasswordId)).statusCode, 200, 'check: the id is live');
  const changed = await client.changePassword(changePasswordId, { password: 'password3' });
  t.equal(changed.statusCode, 200);
  t.same(changed.response.state, { next: '/cart' }, 'state returned unchanged');
  const oneTimePassword = changed.response.oneTimePassword!;
  t.match(oneTimePassword, /^[A-Za-z0-9_-]{43}$/, '256 random bits');

  const first = await settle(client.login({ oneTimePassword, applicationId: APP_A }));
  t.equal(first.statusCode, 200);
  const { payload } = await jwtVerify(first.response.token!, jwks, { audience: APP_A });
  t.match(payload, { sub: user.id, authenticationType: 'ONE_TIME_PASSWORD' });
  t.notOk(first.response.refreshToken, 'no refresh token: the change was made without one');
  assertEmpty(t, await settle(client.login({ oneTimePassword, applicationId: APP_A })), 404);
  assertEmpty(t, await settle(client.login({ oneTimePassword: 'not-a-one-time-password', applicationId: APP_A })), 404);
  assertEmpty(t, await settle(client.checkChangePasswordUsingId(changePasswordId)), 404);
});

t.test('changePasswordByJWT with a refresh token: the one-time password login gets a refresh token; it expires after 60 s', async (t) => {
  const user = await newUser('peter');
  const loggedIn = (await login(user.loginId)).response;
  t.equal((await client.checkChangePasswordUsingJWT(loggedIn.token!)).statusCode, 200, 'check by JWT');
  assertEmpty(t, await settle(client.checkChangePasswordUsingJWT('not.a.jwt')), 401);
  const changed = await client.changePasswordByJWT(loggedIn.token!, {
    currentPassword: 'password1',
    password: 'password4',
    refreshToken: loggedIn.refreshToken!,
  });
  t.equal(changed.statusCode, 200);
  t.notOk('state' in changed.response, 'no state without a forgot-password request');
  const answer = await client.login({ oneTimePassword: changed.response.oneTimePassword!, applicationId: APP_A });
  t.ok(answer.response.refreshToken, 'the change was made holding a refresh token');
  t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: answer.response.refreshToken! })).statusCode, 200);

  const again = await client.changePasswordByJWT(answer.response.token!, { currentPassword: 'password4', password: 'password5' });
  clock += 61_000;
  try {
    assertEmpty(t, await settle(client.login({ oneTimePassword: again.response.oneTimePassword!, applicationId: APP_A })), 404);
  } finally {
    clock -= 61_000;
  }
});

t.test('checkChangePasswordUsingLoginId: 200 for a user, 404 for none, 401 without an API key', async (t) => {
  t.equal((await client.checkChangePasswordUsingLoginId(RICHARD.loginId)).statusCode, 200);
  assertEmpty(t, await settle(client.checkChangePasswordUsingLoginId('nobody@example.com')), 404);
  assertEmpty(t, await settle(new FusionAuthClient('not-the-key', standin.url).checkChangePasswordUsingLoginId(RICHARD.loginId)), 401);
  assertEmpty(t, await settle(client.checkChangePasswordUsingId('no-such-id')), 404);
});

t.test("a one-time password login without an application, with several tenants and none named, acts in its user's tenant", async (t) => {
  const user = await newUser('gavin');
  const { token } = (await login(user.loginId)).response;
  const changed = await client.changePasswordByJWT(token!, { currentPassword: 'password1', password: 'password6' });
  const answer = await anyTenant.login({ oneTimePassword: changed.response.oneTimePassword! });
  t.equal(answer.statusCode, 200);
  t.match((await jwtVerify(answer.response.token!, jwks)).payload, { sub: user.id, tid: TENANT_A });
  t.notOk('applicationId' in decodeJwt(answer.response.token!), 'no application named');
  // Another tenant named: the password is not found there.
  const other = await client.changePasswordByJWT(answer.response.token!, { currentPassword: 'password6', password: 'password7' });
  assertEmpty(t, await settle(new FusionAuthClient(API_KEY, standin.url, TENANT_B).login({ oneTimePassword: other.response.oneTimePassword! })), 404);
  assertEmpty(t, await settle(anyTenant.login({ oneTimePassword: other.response.oneTimePassword!, applicationId: APP_B })), 404);
  t.equal(
    (await client.login({ oneTimePassword: other.response.oneTimePassword!, applicationId: APP_A })).statusCode,
    200,
    'still good in its own tenant',
  );
});

t.test('loginIdTypes is honoured by changePasswordByIdentity, forgotPassword and checkChangePasswordUsingLoginIdAndLoginIdTypes', async (t) => {
  const created = await client.register(none, {
    user: { email: email('jian'), username: `jian${serial}`, password: 'password1' },
    registration: { applicationId: APP_A },
  });
  const username = created.response.user!.username!;
  t.equal((await client.checkChangePasswordUsingLoginIdAndLoginIdTypes(username, ['username'])).statusCode, 200);
  assertEmpty(t, await settle(client.checkChangePasswordUsingLoginIdAndLoginIdTypes(username, ['email'])), 404);
  assertEmpty(t, await settle(client.forgotPassword({ loginId: username, loginIdTypes: ['email'], sendForgotPasswordEmail: false })), 404);
  t.ok((await client.forgotPassword({ loginId: username, loginIdTypes: ['username'], sendForgotPasswordEmail: false })).response.changePasswordId);
  assertFieldError(
    t,
    await settle(client.changePasswordByIdentity({ loginId: username, loginIdTypes: ['email'], password: 'password2' })),
    'loginId',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.changePasswordByIdentity({ loginId: username, loginIdTypes: ['pager'], password: 'password2' })),
    'loginIdTypes',
    'invalid',
  );
  t.equal((await client.changePasswordByIdentity({ loginId: username, loginIdTypes: ['username'], password: 'password2' })).statusCode, 200);
  t.equal((await login(username, 'password2')).statusCode, 200);
});
