import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { startTenantStandin } from '../helpers/fixtures.js';
import { openIdLogin } from '../helpers/openid-login.js';

// JWT and UserInfo populate lambdas end to end (https://fusionauth.io/docs/extend/code/lambdas/jwt-populate,
// https://fusionauth.io/docs/extend/code/lambdas/userinfo-populate): openid-client logs in through the hosted page,
// refreshes and reads userinfo; FusionAuth's client logs in through the Login API and refreshes its JWT.
const API_KEY = 'lambda-populate-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7000000-0000-4000-8000-000000000001';
const THROWING_APP = 'c7000000-0000-4000-8000-000000000002';
const SECRET = 'lambda-populate-secret-0123456789abcdef';
const CALLBACK = 'http://localhost:3000/callback';
const USER = { loginId: 'monica@example.com', password: 'password' };
const USER_ID = '00000000-0000-0000-0000-333333333333';
const JWT_LAMBDA = 'c7000000-0000-4000-8000-0000000000a1';
const USERINFO_LAMBDA = 'c7000000-0000-4000-8000-0000000000a2';
const THROWING_LAMBDA = 'c7000000-0000-4000-8000-0000000000a3';

// FusionAuth's documented examples, with what else a populate lambda is given.
const JWT_POPULATE = `function populate(jwt, user, registration, context) {
  jwt.favoriteColor = user.data.favoriteColor;
  jwt.dept = registration.data.departmentName;
  jwt.scopes = context.scopes;
  jwt.sub = 'someone-else';
  jwt.exp = jwt.exp - 60;
  jwt.roles = null;
  jwt.team = { name: 'core', lead: null };
  jwt.slots = [null, 1];
  console.info('Added custom claims to the JSON web token');
}`;
const USERINFO_POPULATE = `function populate(userInfo, user, registration, jwt) {
  userInfo.favoriteColor = user.data.favoriteColor;
  userInfo.dept = registration.data.departmentName;
  userInfo.applicationId = jwt.applicationId;
  userInfo.email = 'not-theirs@example.com';
}`;
const THROWING = `function populate(jwt) {
  jwt.halfDone = true;
  throw new Error('the lambda failed');
}`;

const application = (id: string, name: string, lambdaConfiguration: Record<string, string>) => ({
  url: `/api/application/${id}`,
  body: {
    application: {
      name,
      lambdaConfiguration,
      oauthConfiguration: {
        authorizedRedirectURLs: [CALLBACK],
        clientSecret: SECRET,
        enabledGrants: ['authorization_code', 'refresh_token'],
        generateRefreshTokens: true,
      },
      loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
    },
  },
});
const lambda = (id: string, type: string, body: string) => ({
  url: `/api/lambda/${id}`,
  body: { lambda: { name: `${type} ${id.slice(-2)}`, type, body } },
});

t.test('populate lambdas on every path that mints tokens', async (t) => {
  const standin = await startTenantStandin(t, {
    apiKey: API_KEY,
    tenantId: TENANT,
    requests: [
      lambda(JWT_LAMBDA, 'JWTPopulate', JWT_POPULATE),
      lambda(USERINFO_LAMBDA, 'UserInfoPopulate', USERINFO_POPULATE),
      lambda(THROWING_LAMBDA, 'JWTPopulate', THROWING),
      application(APP, 'With lambdas', { accessTokenPopulateId: JWT_LAMBDA, idTokenPopulateId: JWT_LAMBDA, userinfoPopulateId: USERINFO_LAMBDA }),
      application(THROWING_APP, 'Throwing lambda', { accessTokenPopulateId: THROWING_LAMBDA }),
      {
        url: `/api/user/registration/${USER_ID}`,
        body: {
          user: { email: USER.loginId, password: USER.password, data: { favoriteColor: 'blue' } },
          registration: { applicationId: APP, data: { departmentName: 'Engineering' } },
        },
      },
      { url: `/api/user/registration/${USER_ID}`, body: { registration: { applicationId: THROWING_APP } } },
    ],
  });
  const fusionauth = new FusionAuthClient(API_KEY, standin.url);
  const login = (clientId: string) => openIdLogin({ url: standin.url, clientId, clientSecret: SECRET, redirectUri: CALLBACK, ...USER });

  t.test('the hosted login: the lambda’s claims are in the access token and the id token; reserved claims stay', async (t) => {
    const tokens = await login(APP);
    const access = decodeJwt(tokens.access_token);
    t.match(access, { favoriteColor: 'blue', dept: 'Engineering', sub: USER_ID, aud: APP });
    t.same(access.scopes, ['openid', 'offline_access', 'email', 'profile'], 'context.scopes are the granted scopes');
    t.equal(access.exp, access.iat! + 3600 - 60, 'exp may be lowered');
    t.equal(tokens.expires_in, 3600 - 60, 'and expires_in says so');
    // FusionAuth writes JWTs leaving out null members (fusionauth-jwt's Mapper): null removes a claim.
    t.notOk('roles' in access, 'a claim set to null is removed');
    t.same(access.team, { name: 'core' }, 'at any depth');
    t.same(access.slots, [null, 1], 'a null in an array stays');
    t.match(decodeJwt(tokens.id_token!), { favoriteColor: 'blue', dept: 'Engineering', sub: USER_ID });

    t.test('userinfo runs the UserInfo lambda; email stays Standin’s', async (t) => {
      const configuration = await client.discovery(new URL(standin.url), APP, SECRET, undefined, { execute: [client.allowInsecureRequests] });
      const info = await client.fetchUserInfo(configuration, tokens.access_token, USER_ID);
      t.match(info, { sub: USER_ID, email: USER.loginId, favoriteColor: 'blue', dept: 'Engineering', applicationId: APP });
    });

    t.test('the refresh_token grant runs it again', async (t) => {
      const configuration = await client.discovery(new URL(standin.url), APP, SECRET, undefined, { execute: [client.allowInsecureRequests] });
      const refreshed = await client.refreshTokenGrant(configuration, tokens.refresh_token!);
      t.match(decodeJwt(refreshed.access_token), { favoriteColor: 'blue', sub: USER_ID });
      t.match(decodeJwt(refreshed.id_token!), { favoriteColor: 'blue' });
    });
  });

  t.test('the Login API with an applicationId, and /api/jwt/refresh, run it', async (t) => {
    const loggedIn = await fusionauth.login({ ...USER, applicationId: APP });
    t.match(decodeJwt(loggedIn.response.token!), { favoriteColor: 'blue', dept: 'Engineering', sub: USER_ID, scopes: [] });
    const refreshed = await fusionauth.exchangeRefreshTokenForJWT({ refreshToken: loggedIn.response.refreshToken! });
    t.match(decodeJwt(refreshed.response.token!), { favoriteColor: 'blue', sub: USER_ID });
    const withoutApplication = await fusionauth.login(USER);
    t.notOk('favoriteColor' in decodeJwt(withoutApplication.response.token!), 'no application, no lambda');
  });

  t.test('a lambda that throws leaves the token as it would be without it, and the Error is in the event log', async (t) => {
    const failures = async () => (await fusionauth.searchEventLogs({ search: { type: 'Error' as never, message: THROWING_LAMBDA } })).response;
    // Registering the user through the API already issued a token, so the lambda has failed before.
    const before = (await failures()).total!;
    const tokens = await login(THROWING_APP);
    const access = decodeJwt(tokens.access_token);
    t.notOk('halfDone' in access);
    t.match(access, { sub: USER_ID, aud: THROWING_APP });
    t.equal(tokens.expires_in, 3600);
    const after = await failures();
    t.equal(after.total, before + 1, 'one Error entry per failed run');
    t.match(after.eventLogs![0]!.message, /^Lambda invocation failed\.\n\nId: c7000000-0000-4000-8000-0000000000a3\n/);
    const info = await fusionauth.searchEventLogs({ search: { type: 'Information' as never, message: 'Added custom claims' } });
    t.ok(info.response.total! > 0, 'console.info reached the event log');
    t.match(info.response.eventLogs![0]!.message, `Lambda invocation result.\n\nId: ${JWT_LAMBDA}\n`);
  });
});
