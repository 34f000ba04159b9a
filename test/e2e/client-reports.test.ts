import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Reports API (https://fusionauth.io/docs/apis/reports; docs/reports.md) through
// @fusionauth/typescript-client: logins made through the Login API, the password grant and the hosted form on days
// set by Standin's control clock, counted per hour, day and month since the epoch in the report timezone.
const API_KEY = 'reports-api-key-0123456789abcdefghijkl';
const TENANT_KEY = 'reports-tenant-key-0123456789abcdefghij';
const TENANT = 'ad000000-0000-4000-8000-000000000001';
const OTHER_TENANT = 'ad000000-0000-4000-8000-000000000002';
const APP = 'ad000000-0000-4000-8000-0000000000a1';
const OTHER_APP = 'ad000000-0000-4000-8000-0000000000a2';
const SECRET = 'reports-secret-0123456789abcdefghijklmn';
const CALLBACK = 'http://localhost:3000/callback';
const DINESH = 'ad000000-0000-4000-8000-0000000000d1';
const MONICA = 'ad000000-0000-4000-8000-0000000000d2';
const JIAN = 'ad000000-0000-4000-8000-0000000000d3';
const DINESH_LOGIN = { loginId: 'dinesh@example.com', password: 'password1' };
const MONICA_LOGIN = { loginId: 'monica', password: 'password2' };
const JIAN_LOGIN = { loginId: 'jian@example.com', password: 'password3' };
// The kickstart runs on 2026-04-01 at midnight UTC, and each user it registers is logged in there (the Registration
// API answers with a JWT: a login, as in FusionAuth); the other logins come on 1 and 2 April.
const T0 = Date.UTC(2026, 3, 1);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const hourOf = (instant: number) => Math.floor(instant / HOUR);
const dayOf = (instant: number) => Math.floor(instant / DAY);
// April 2026 is month 675 since January 1970: 56 years and 3 months.
const APRIL_2026 = 56 * 12 + 3;

async function start(t: Test, db?: string) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    ...(db === undefined ? {} : { db }),
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }, { key: TENANT_KEY, tenantId: TENANT }],
      requests: [
        { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
        {
          url: `/api/application/${APP}`,
          tenantId: TENANT,
          body: {
            application: {
              name: 'Pied Piper',
              oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], clientSecret: SECRET, enabledGrants: ['authorization_code', 'password'] },
            },
          },
        },
        { url: `/api/application/${OTHER_APP}`, tenantId: OTHER_TENANT, body: { application: { name: 'Hooli' } } },
        {
          url: `/api/user/registration/${DINESH}`,
          tenantId: TENANT,
          body: { user: { email: DINESH_LOGIN.loginId, password: DINESH_LOGIN.password }, registration: { applicationId: APP } },
        },
        {
          url: `/api/user/registration/${MONICA}`,
          tenantId: TENANT,
          body: { user: { username: MONICA_LOGIN.loginId, password: MONICA_LOGIN.password }, registration: { applicationId: APP } },
        },
        {
          url: `/api/user/registration/${JIAN}`,
          tenantId: OTHER_TENANT,
          body: { user: { email: JIAN_LOGIN.loginId, password: JIAN_LOGIN.password }, registration: { applicationId: OTHER_APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  return { standin, client: new FusionAuthClient(API_KEY, standin.url) };
}

/** Logs in through the Login API, the password grant and the hosted form, at the instants the control clock is set to. */
async function logIn(standin: Awaited<ReturnType<typeof startStandin>>, client: FusionAuthClient) {
  standin.clock.set(T0 + 10 * HOUR);
  await client.login({ ...DINESH_LOGIN, applicationId: APP });
  standin.clock.set(T0 + 11.5 * HOUR);
  await client.exchangeUserCredentialsForAccessToken(DINESH_LOGIN.loginId, DINESH_LOGIN.password, APP, SECRET, 'openid', undefined as never);
  standin.clock.set(T0 + 11.75 * HOUR);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  await createHttpBrowser().authorize(authorize, MONICA_LOGIN);
  standin.clock.set(T0 + 12 * HOUR);
  await client.login({ ...JIAN_LOGIN, applicationId: OTHER_APP });
  // 2 April, 03:00 UTC: still 1 April, 21:00, in Denver.
  standin.clock.set(T0 + DAY + 3 * HOUR);
  await client.login({ ...DINESH_LOGIN, applicationId: APP });
}

const inUtc = (client: FusionAuthClient) => client.patchSystemConfiguration({ systemConfiguration: { reportTimezone: 'UTC' } });

t.test('daily and monthly active users: each user once a day and once a month, by application and tenant', async (t) => {
  const { standin, client } = await start(t);
  await inUtc(client);
  t.same(
    (await client.retrieveDailyActiveReport(null as never, T0, T0 + 2 * DAY)).response,
    { dailyActiveUsers: [{ interval: dayOf(T0), count: 3 }], total: 3 },
    "the kickstart's registrations",
  );
  await logIn(standin, client);

  const end = T0 + 2 * DAY - 1;
  t.same((await client.retrieveDailyActiveReport(null as never, T0, end)).response, {
    dailyActiveUsers: [
      { interval: dayOf(T0), count: 3 },
      { interval: dayOf(T0 + DAY), count: 1 },
    ],
    total: 4,
  });
  t.equal(dayOf(T0), 20544, 'intervals are days since the epoch');
  t.same((await client.retrieveDailyActiveReport(APP, T0, end)).response, {
    dailyActiveUsers: [
      { interval: dayOf(T0), count: 2 },
      { interval: dayOf(T0 + DAY), count: 1 },
    ],
    total: 3,
  });
  t.same(
    (await client.retrieveDailyActiveReport(null as never, T0 + DAY + 20 * HOUR, end)).response.dailyActiveUsers,
    [{ interval: dayOf(T0 + DAY), count: 1 }],
    'start is truncated to its day: a login earlier that day counts',
  );
  t.same((await client.retrieveMonthlyActiveReport(null as never, T0, end)).response, {
    monthlyActiveUsers: [{ interval: APRIL_2026, count: 3 }],
    total: 3,
  });
  const tenantClient = new FusionAuthClient(TENANT_KEY, standin.url);
  t.same(
    (await tenantClient.retrieveDailyActiveReport(null as never, T0, end)).response.dailyActiveUsers,
    [
      { interval: dayOf(T0), count: 2 },
      { interval: dayOf(T0 + DAY), count: 1 },
    ],
    "a tenant-bound key counts its tenant's users only",
  );
  t.same((await tenantClient.retrieveMonthlyActiveReport(null as never, T0, end)).response.total, 2);
  t.same((await new FusionAuthClient(API_KEY, standin.url, OTHER_TENANT).retrieveMonthlyActiveReport(null as never, T0, end)).response.total, 1);
});

t.test('the report timezone shifts the intervals; FusionAuth’s America/Denver while none is set', async (t) => {
  const { standin, client } = await start(t);
  await logIn(standin, client);
  const end = T0 + 2 * DAY;
  // In Denver (UTC-6 in April) the kickstart's logins fall on 31 March and the others on 1 April, 6 hours back.
  t.same((await client.retrieveDailyActiveReport(APP, T0, end)).response.dailyActiveUsers, [
    { interval: dayOf(T0) - 1, count: 2 },
    { interval: dayOf(T0), count: 2 },
  ]);
  t.same((await client.retrieveUserLoginReport(null as never, DINESH, T0, end)).response.hourlyCounts, [
    { interval: hourOf(T0 - 6 * HOUR), count: 1 },
    { interval: hourOf(T0 + 4 * HOUR), count: 1 },
    { interval: hourOf(T0 + 5 * HOUR), count: 1 },
    { interval: hourOf(T0 + 21 * HOUR), count: 1 },
  ]);
  await client.patchSystemConfiguration({ systemConfiguration: { reportTimezone: 'Asia/Tokyo' } });
  t.same(
    (await client.retrieveUserLoginReport(null as never, DINESH, T0, end)).response.hourlyCounts?.map((count) => count.interval),
    [hourOf(T0 + 9 * HOUR), hourOf(T0 + 19 * HOUR), hourOf(T0 + 20.5 * HOUR), hourOf(T0 + DAY + 12 * HOUR)],
  );
});

t.test('the login report counts logins by the hour, of an application, a user by id or by login id', async (t) => {
  const { standin, client } = await start(t);
  await inUtc(client);
  await logIn(standin, client);
  const end = T0 + 2 * DAY;
  t.same((await client.retrieveLoginReport(null as never, T0, end)).response, {
    hourlyCounts: [
      { interval: hourOf(T0), count: 3 },
      { interval: hourOf(T0 + 10 * HOUR), count: 1 },
      { interval: hourOf(T0 + 11 * HOUR), count: 2 },
      { interval: hourOf(T0 + 12 * HOUR), count: 1 },
      { interval: hourOf(T0 + DAY + 3 * HOUR), count: 1 },
    ],
    total: 8,
  });
  t.equal((await client.retrieveLoginReport(OTHER_APP, T0, end)).response.total, 2);
  t.equal((await client.retrieveUserLoginReport(APP, DINESH, T0, end)).response.total, 4);
  t.same(
    (await client.retrieveUserLoginReport(null as never, DINESH, T0 + 11 * HOUR + 59 * 60_000, T0 + 11 * HOUR + 59 * 60_000)).response,
    { hourlyCounts: [{ interval: hourOf(T0 + 11 * HOUR), count: 1 }], total: 1 },
    'start and end are truncated to their hour, both whole',
  );
  const byLoginId = new FusionAuthClient(API_KEY, standin.url, TENANT);
  t.equal((await byLoginId.retrieveUserLoginReportByLoginId(null as never, 'monica', T0, end)).response.total, 2);
  t.equal((await byLoginId.retrieveUserLoginReportByLoginIdAndLoginIdTypes(null as never, 'monica', T0, end, ['email'])).response.total, 0);
  t.equal((await byLoginId.retrieveUserLoginReportByLoginId(null as never, 'nobody@example.com', T0, end)).response.total, 0, 'nobody: nothing');
  t.equal(
    (await new FusionAuthClient(TENANT_KEY, standin.url).retrieveLoginReport(null as never, T0, end)).response.total,
    6,
    "a tenant-bound key counts its tenant's logins only",
  );
});

t.test('the registration report: registrations to an application, and users created, by the hour', async (t) => {
  const { standin, client } = await start(t);
  await inUtc(client);
  const end = T0 + 2 * DAY;
  t.same((await client.retrieveRegistrationReport(APP, T0, end)).response, { hourlyCounts: [{ interval: hourOf(T0), count: 2 }], total: 2 });
  standin.clock.set(T0 + DAY + 5 * HOUR);
  await client.register(JIAN, { registration: { applicationId: OTHER_APP, roles: [] } }).catch(() => undefined);
  await client.register(null as never, {
    user: { email: 'gilfoyle@example.com', password: 'password4' },
    registration: { applicationId: OTHER_APP },
  });
  t.same((await client.retrieveRegistrationReport(OTHER_APP, T0, end)).response, {
    hourlyCounts: [
      { interval: hourOf(T0), count: 1 },
      { interval: hourOf(T0 + DAY + 5 * HOUR), count: 1 },
    ],
    total: 2,
  });
  t.same(
    (await client.retrieveRegistrationReport(null as never, T0, end)).response,
    {
      hourlyCounts: [
        { interval: hourOf(T0), count: 3 },
        { interval: hourOf(T0 + DAY + 5 * HOUR), count: 1 },
      ],
      total: 4,
    },
    'with no application: the users created',
  );
  t.same((await new FusionAuthClient(TENANT_KEY, standin.url).retrieveRegistrationReport(null as never, T0, end)).response.total, 2);
});

t.test('the totals report, whole or without applicationTotals, per tenant', async (t) => {
  const { standin, client } = await start(t);
  await logIn(standin, client);
  t.same((await client.retrieveTotalReport()).response, {
    applicationTotals: {
      [APP]: { logins: 6, registrations: 2, totalRegistrations: 2 },
      [OTHER_APP]: { logins: 2, registrations: 1, totalRegistrations: 1 },
    },
    globalRegistrations: 3,
    totalGlobalRegistrations: 3,
  });
  t.same((await client.retrieveTotalReportWithExcludes(['applicationTotals'])).response, { globalRegistrations: 3, totalGlobalRegistrations: 3 });
  t.same(
    Object.keys((await client.retrieveTotalReportWithExcludes([])).response.applicationTotals ?? {}),
    [APP, OTHER_APP],
    'an empty list excludes nothing; an application with no login and no registration (the admin app) is not listed',
  );
  assertFieldError(t, await settle(client.retrieveTotalReportWithExcludes(['globalRegistrations'])), 'excludes', 'invalid');
  t.same((await new FusionAuthClient(TENANT_KEY, standin.url).retrieveTotalReport()).response, {
    applicationTotals: { [APP]: { logins: 6, registrations: 2, totalRegistrations: 2 } },
    globalRegistrations: 2,
    totalGlobalRegistrations: 2,
  });
  await client.deleteUser(MONICA);
  t.match((await client.retrieveTotalReport()).response, { applicationTotals: { [APP]: { logins: 4, registrations: 1 } }, globalRegistrations: 2 });
});

t.test('start and end are required instants; applicationId and userId are UUIDs', async (t) => {
  const { client } = await start(t);
  assertFieldError(t, await settle(client.retrieveDailyActiveReport(null as never, undefined as never, T0)), 'start', 'missing');
  assertFieldError(t, await settle(client.retrieveMonthlyActiveReport(null as never, T0, undefined as never)), 'end', 'missing');
  assertFieldError(t, await settle(client.retrieveLoginReport(null as never, 'yesterday' as never, T0)), 'start', 'invalid');
  assertFieldError(t, await settle(client.retrieveLoginReport(null as never, T0, 8.64e15)), 'end', 'invalid');
  assertFieldError(t, await settle(client.retrieveDailyActiveReport(null as never, -8.64e15, T0)), 'start', 'invalid');
  assertFieldError(t, await settle(client.retrieveRegistrationReport('pied-piper', T0, T0)), 'applicationId', 'invalid');
  assertFieldError(t, await settle(client.retrieveUserLoginReport(null as never, 'dinesh', T0, T0)), 'userId', 'invalid');
});

t.test('reports count what survives a restart, and a reset takes back the logins since start-up', async (t) => {
  const folder = temporaryFolder(t, 'standin-reports-');
  const db = join(folder, 'standin.db');
  const first = await start(t, db);
  await inUtc(first.client);
  const report = async (client: FusionAuthClient) => (await client.retrieveLoginReport(null as never, T0, T0 + 2 * DAY)).response;
  const atStart = await report(first.client);
  await logIn(first.standin, first.client);
  t.equal((await report(first.client)).total, 8);
  first.standin.reset();
  await inUtc(first.client);
  t.same(await report(first.client), atStart, "a reset: the kickstart's logins only");
  await logIn(first.standin, first.client);
  const before = await report(first.client);
  await first.standin.close();

  const second = await start(t, db);
  t.same(await report(second.client), before, 'the same report after the restart');
});
