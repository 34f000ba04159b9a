import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { API_KEY, apiClient, buildEmptyApp, T0, TENANT_ID, testKickstart } from '../helpers/fixtures.js';

// The Change Password API's one-time password (docs/management-api.md): stored hashed, one use, short-lived on
// Standin's clock, and the check routes' status codes.
const APP_ID = 'dddddddd-0000-4000-8000-000000000001';
const USER_ID = 'dddddddd-0000-4000-8000-0000000000a1';
const EMAIL = 'otp@example.com';

async function setUp(t: Test, ttl?: number) {
  let clock = T0;
  const requests = [
    ...(ttl === undefined
      ? []
      : [
          {
            method: 'PATCH' as const,
            url: `/api/tenant/${TENANT_ID}`,
            body: { tenant: { externalIdentifierConfiguration: { oneTimePasswordTimeToLiveInSeconds: ttl } } },
          },
        ]),
    { url: `/api/application/${APP_ID}`, body: { application: { name: 'OTP', loginConfiguration: { generateRefreshTokens: true } } } },
    { url: `/api/user/registration/${USER_ID}`, body: { user: { email: EMAIL, password: 'password1' }, registration: { applicationId: APP_ID } } },
  ];
  const app = await buildEmptyApp(t, { now: () => clock, kickstart: testKickstart(requests) });
  const api = apiClient(t, app);
  const changePasswordId = async () =>
    (await api('POST', '/api/user/forgot-password', { loginId: EMAIL, sendForgotPasswordEmail: false })).body.changePasswordId as string;
  const change = async (password: string) =>
    (await api('POST', `/api/user/change-password/${await changePasswordId()}`, { password })).body.oneTimePassword as string;
  const login = (oneTimePassword: string) => api('POST', '/api/login', { oneTimePassword, applicationId: APP_ID });
  return { app, api, change, changePasswordId, login, advance: (ms: number) => void (clock += ms) };
}

t.test('a one-time password is stored only as its SHA-256', async (t) => {
  const { app, change } = await setUp(t);
  const value = await change('password2');
  const rows = app.standin.stores.db.prepare('SELECT id_hash, user_id FROM one_time_passwords').all() as { id_hash: string; user_id: string }[];
  t.same(rows, [{ id_hash: createHash('sha256').update(value).digest('base64url'), user_id: USER_ID }]);
  t.notOk(JSON.stringify(app.standin.stores.db.prepare('SELECT * FROM one_time_passwords').all()).includes(value), 'the value itself is nowhere');
});

t.test('a one-time password logs in once, even when two logins race for it', async (t) => {
  const { change, login } = await setUp(t);
  const value = await change('password2');
  const statuses = (await Promise.all([login(value), login(value), login(value)])).map((response) => response.status).sort();
  t.same(statuses, [200, 404, 404]);
});

t.test("a one-time password expires after 60 seconds by default, or the tenant's oneTimePasswordTimeToLiveInSeconds", async (t) => {
  const byDefault = await setUp(t);
  const early = await byDefault.change('password2');
  byDefault.advance(59_000);
  t.equal((await byDefault.login(early)).status, 200, 'alive at 59 s');
  const late = await byDefault.change('password3');
  byDefault.advance(60_000);
  t.equal((await byDefault.login(late)).status, 404, 'gone at 60 s');
  t.equal((await byDefault.api('GET', '/api/tenant')).body.tenants[0].externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds, 60);

  const configured = await setUp(t, 5);
  const short = await configured.change('password2');
  configured.advance(5_000);
  t.equal((await configured.login(short)).status, 404, "gone at the tenant's 5 s");
});

t.test('a new password change leaves earlier one-time passwords alone, and the API-key form answers none', async (t) => {
  const { api, change, login } = await setUp(t);
  const first = await change('password2');
  const byLoginId = await api('POST', '/api/user/change-password', { loginId: EMAIL, password: 'password3' });
  t.equal(byLoginId.status, 200);
  t.equal(byLoginId.body, undefined, 'no body for the API-key form');
  t.equal((await login(first)).status, 200);
});

t.test('GET /api/user/change-password/{id}: 200 while live, 404 once used or expired', async (t) => {
  const { api, changePasswordId, advance } = await setUp(t);
  const id = await changePasswordId();
  t.equal((await api('GET', `/api/user/change-password/${id}`, undefined, { authorization: '' })).status, 200, 'no authentication needed');
  advance(600_000);
  t.equal((await api('GET', `/api/user/change-password/${id}`)).status, 404, "expired after the tenant's 600 s");
  const used = await changePasswordId();
  await api('POST', '/api/user/change-password', { changePasswordId: used, password: 'password2' });
  t.equal((await api('GET', `/api/user/change-password/${used}`)).status, 404, 'used');
});

t.test('a login with a one-time password and a loginId is an ordinary login', async (t) => {
  const { app, change, login } = await setUp(t);
  const value = await change('password2');
  const response = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { loginId: EMAIL, oneTimePassword: value, applicationId: APP_ID },
    headers: { authorization: API_KEY },
  });
  t.equal(response.statusCode, 400, 'the password is missing');
  t.equal((await login(value)).status, 200, 'and the one-time password is still unused');
});

t.test('oneTimePasswordTimeToLiveInSeconds must be a whole number of seconds above 0', async (t) => {
  const { api } = await setUp(t);
  for (const value of [0, -1, 1.5, 'sixty']) {
    const response = await api('PATCH', `/api/tenant/${TENANT_ID}`, {
      tenant: { externalIdentifierConfiguration: { oneTimePasswordTimeToLiveInSeconds: value } },
    });
    t.equal(response.status, 400, `refuses ${JSON.stringify(value)}`);
    t.ok(response.body.fieldErrors['tenant.externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds']);
  }
});
