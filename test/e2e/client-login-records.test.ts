import { FusionAuthClient, type DisplayableRawLogin } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';

// FusionAuth's login records through the client's searchLoginRecords (Login API, "Search Login Records") and
// retrieveRecentLogins (User API, "Retrieve Recent Logins"): every login path writes one, in the login's transaction.
const API_KEY = 'login-records-api-key-0123456789abcdefg';
const TENANT = 'ab000000-0000-4000-8000-000000000001';
const OTHER_TENANT = 'ab000000-0000-4000-8000-000000000002';
const APP = 'ab000000-0000-4000-8000-0000000000a1';
const SECRET = 'login-records-secret-0123456789abcdefghij';
const CALLBACK = 'http://localhost:3000/callback';
const DINESH = 'ab000000-0000-4000-8000-0000000000d1';
const DINESH_LOGIN = { loginId: 'dinesh@example.com', password: 'password1' };
const MONICA = 'ab000000-0000-4000-8000-0000000000d2';
const T0 = Date.UTC(2026, 3, 1);
let now = T0;

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  now: () => now,
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
      {
        url: `/api/application/${APP}`,
        tenantId: TENANT,
        body: {
          application: {
            name: 'Records App',
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], clientSecret: SECRET, enabledGrants: ['authorization_code', 'password'] },
            loginConfiguration: { requireAuthentication: true },
          },
        },
      },
      { url: `/api/user/${DINESH}`, tenantId: TENANT, body: { user: { email: DINESH_LOGIN.loginId, password: DINESH_LOGIN.password } } },
      { url: `/api/user/${MONICA}`, tenantId: TENANT, body: { user: { username: 'monica', password: 'password2' } } },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url, TENANT);

/** Moves Standin's clock to `T0 + seconds`, so that each login has an instant of its own. */
const at = (seconds: number) => {
  now = T0 + seconds * 1000;
};
const logins = (answer: { response: { logins?: DisplayableRawLogin[] } }) => answer.response.logins ?? [];

t.test('no login, no record', async (t) => {
  t.same(logins(await client.retrieveRecentLogins(0, 10)), [], 'creating users is no login');
  at(1);
  t.equal((await settle(client.login({ loginId: DINESH_LOGIN.loginId, password: 'wrong', applicationId: APP }))).statusCode, 404);
  t.same(logins(await client.retrieveRecentLogins(0, 10)), [], 'a failed login is not recorded');
});

t.test('each login path writes one record: the Login API, the password grant, the hosted form, the login ping', async (t) => {
  at(10);
  await client.login({ ...DINESH_LOGIN, applicationId: APP, ipAddress: '203.0.113.7' });
  at(20);
  await client.exchangeUserCredentialsForAccessToken(DINESH_LOGIN.loginId, DINESH_LOGIN.password, APP, SECRET, 'openid', undefined as never);
  at(30);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  await createHttpBrowser().authorize(authorize, DINESH_LOGIN);
  at(40);
  await client.login({ loginId: 'monica', password: 'password2' });
  at(50);
  await client.loginPing(MONICA, APP, '198.51.100.9');

  const recent = logins(await client.retrieveRecentLogins(0, 10));
  t.same(
    recent.map((login) => [login.userId, login.instant]),
    [
      [MONICA, T0 + 50_000],
      [MONICA, T0 + 40_000],
      [DINESH, T0 + 30_000],
      [DINESH, T0 + 20_000],
      [DINESH, T0 + 10_000],
    ],
    'newest first',
  );
  t.same(recent[4], {
    applicationId: APP,
    applicationName: 'Records App',
    instant: T0 + 10_000,
    ipAddress: '203.0.113.7',
    loginId: 'dinesh@example.com',
    loginIdType: 'email',
    userId: DINESH,
  });
  t.match(recent[3], { applicationId: APP, ipAddress: /^(::ffff:)?127\.0\.0\.1$|^::1$/ }, "the password grant: the caller's address");
  t.match(recent[2], { applicationId: APP, applicationName: 'Records App', loginId: 'dinesh@example.com' }, 'the hosted form');
  t.same(
    recent[1],
    { instant: T0 + 40_000, ipAddress: recent[1]!.ipAddress, loginId: 'monica', loginIdType: 'username', userId: MONICA },
    'no application',
  );
  t.match(recent[0], { applicationId: APP, userId: MONICA }, 'the login ping');
});

t.test('retrieveRecentLogins pages by offset and limit, and narrows to one user', async (t) => {
  t.same(
    logins(await client.retrieveRecentLogins(1, 2)).map((login) => login.instant),
    [T0 + 40_000, T0 + 30_000],
  );
  t.equal(logins(await client.retrieveRecentLogins(0, 2)).length, 2);
  const byUser = await fetch(`${standin.url}/api/user/recent-login?userId=${DINESH}`, { headers: { authorization: API_KEY } });
  t.equal(byUser.status, 200);
  const body = (await byUser.json()) as { logins: DisplayableRawLogin[]; total?: number };
  t.same(
    body.logins.map((login) => login.userId),
    [DINESH, DINESH, DINESH],
  );
  t.notOk('total' in body, 'never a total, by design');
  const other = new FusionAuthClient(API_KEY, standin.url, OTHER_TENANT);
  t.same(logins(await other.retrieveRecentLogins(0, 10)), [], "a request that acts in another tenant sees none of this tenant's logins");
});

t.test('searchLoginRecords: by user, application and instants, newest first, total when asked', async (t) => {
  const search = async (criteria: object, retrieveTotal?: boolean) =>
    (await client.searchLoginRecords({ search: criteria, ...(retrieveTotal === undefined ? {} : { retrieveTotal }) })).response;
  const all = await search({});
  t.equal(all.logins?.length, 5);
  t.equal(all.total, undefined, 'no total unless retrieveTotal');
  t.equal((await search({}, true)).total, 5);
  t.same(
    (await search({ userId: MONICA })).logins?.map((login) => login.instant),
    [T0 + 50_000, T0 + 40_000],
  );
  t.same(
    (await search({ applicationId: APP, userId: MONICA })).logins?.map((login) => login.instant),
    [T0 + 50_000],
  );
  t.same(
    (await search({ start: T0 + 20_000, end: T0 + 40_000 })).logins?.map((login) => login.instant),
    [T0 + 40_000, T0 + 30_000, T0 + 20_000],
    'start and end are inclusive',
  );
  const page = await search({ startRow: 1, numberOfResults: 2, orderBy: 'instant ASC' }, true);
  t.same(
    page.logins?.map((login) => login.instant),
    [T0 + 20_000, T0 + 30_000],
  );
  t.equal(page.total, 5);
  const byGet = await fetch(`${standin.url}/api/system/login-record/search?userId=${DINESH}&retrieveTotal=true`, {
    headers: { authorization: API_KEY },
  });
  t.match(await byGet.json(), { total: 3 }, 'GET takes the criteria and retrieveTotal as parameters');
});

t.test('bad criteria are 400s in FusionAuth’s shape', async (t) => {
  const search = (criteria: object) => settle(client.searchLoginRecords({ search: criteria }));
  assertFieldError(t, await search({ userId: 'dinesh' }), 'search.userId', 'invalid');
  assertFieldError(t, await search({ applicationId: 7 }), 'search.applicationId', 'invalid');
  assertFieldError(t, await search({ start: 'yesterday' }), 'search.start', 'invalid');
  assertFieldError(t, await search({ numberOfResults: -1 }), 'search.numberOfResults', 'invalid');
  assertFieldError(t, await search({ orderBy: 'ipAddress' }), 'search.orderBy', 'invalid');
  assertFieldError(t, await settle(client.searchLoginRecords({ search: {}, retrieveTotal: 'yes' as never })), 'retrieveTotal', 'invalid');
  assertFieldError(t, await settle(client.retrieveRecentLogins(0, 'ten' as never)), 'limit', 'invalid');
  assertFieldError(t, await settle(client.retrieveRecentLogins(-1, 10)), 'offset', 'invalid');
  const byGet = await fetch(`${standin.url}/api/user/recent-login?userId=nobody`, { headers: { authorization: API_KEY } });
  t.equal(byGet.status, 400);
  t.match(await byGet.json(), { fieldErrors: { userId: [{ code: '[invalid]userId' }] } });
});

t.test("a hard-deleted user's records go with the user", async (t) => {
  t.equal(logins(await client.searchLoginRecords({ search: { userId: MONICA } })).length, 2);
  await client.deleteUserWithRequest(MONICA, { hardDelete: true });
  t.same(logins(await client.searchLoginRecords({ search: { userId: MONICA } })), []);
});

t.test('a JWT issued from another is no login of its own; a reset takes back the records since start-up', async (t) => {
  at(60);
  const { token } = (await client.login({ ...DINESH_LOGIN, applicationId: APP })).response;
  at(70);
  const issued = await client.issueJWT(APP, token!, undefined as never);
  t.equal(issued.statusCode, 202, 'Dinesh is not registered to APP: 202, with a JWT all the same');
  t.type(issued.response.token, 'string');
  t.same(
    logins(await client.retrieveRecentLogins(0, 1)).map((login) => login.instant),
    [T0 + 60_000],
    '/api/jwt/issue wrote no record',
  );
  standin.reset();
  t.same(logins(await client.retrieveRecentLogins(0, 10)), [], 'reset: back to the kickstart, which logged no one in');
});
