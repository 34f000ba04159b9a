import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { control } from '../helpers/control.js';
import { apiHeaders, buildEmptyApp, hiddenFields, testKickstart } from '../helpers/fixtures.js';

// A user whose only method is SMS, on the hosted pages at the route level (docs/two-factor.md, "The SMS method"): the
// password texts the code through the Generic messenger and shows its code page; a gateway that fails shows the page
// with the reason (400, never a 500), and "Resend the code" then sends it.
const APP = 'd7100000-0000-4000-8000-000000000001';
const USER = 'd7100000-0000-4000-8000-0000000000e1';
const MESSENGER = 'd7100000-0000-4000-8000-0000000000f1';
const PHONE = '+15555550188';
const CALLBACK = 'http://localhost:3000/callback';
const params = { client_id: APP, redirect_uri: CALLBACK, scope: 'openid', state: 's' };

let gatewayStatus = 200;
const gateway = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(gatewayStatus).end());
});
await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  gateway.close();
});

async function setUp(t: Test): Promise<StandinApp> {
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`;
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      { url: `/api/messenger/${MESSENGER}`, body: { messenger: { name: 'Gateway', type: 'Generic', url, connectTimeout: 1000, readTimeout: 2000 } } },
      {
        method: 'PATCH',
        url: '/api/tenant/#{defaultTenantId}',
        body: { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId: MESSENGER } } } },
      },
      { url: `/api/application/${APP}`, body: { application: { name: 'Aviato', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'bighead@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ]),
  });
  await app.inject({
    method: 'POST',
    url: '/api/two-factor/send',
    headers: apiHeaders(),
    payload: { userId: USER, method: 'sms', mobilePhone: PHONE },
  });
  const enabled = await app.inject({
    method: 'POST',
    url: `/api/user/two-factor/${USER}`,
    headers: apiHeaders(),
    payload: { method: 'sms', mobilePhone: PHONE, code: (await texts(app))[0]!.code },
  });
  if (enabled.statusCode !== 200) throw new Error(`enable sms: ${enabled.statusCode} ${enabled.body}`);
  return app;
}

async function texts(app: StandinApp): Promise<Array<{ code: string; delivery: string }>> {
  return (await control(app, 'GET', `/_standin/sms?to=${encodeURIComponent(PHONE)}`)).json().messages;
}

async function toSecondStep(app: StandinApp) {
  const page = await app.inject(`/oauth2/authorize?${new URLSearchParams({ response_type: 'code', ...params })}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  const post = (url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { 'standin.csrf': csrf },
      payload: new URLSearchParams(fields).toString(),
    });
  const login = await post('/oauth2/authorize', { ...hiddenFields(page.body), loginId: 'bighead@example.com', password: 'password1' });
  return { login, post };
}

t.test('the only method is SMS: the password texts the code and shows its page; the code ends the login', async (t) => {
  gatewayStatus = 200;
  const app = await setUp(t);
  const before = (await texts(app)).length;
  const { login, post } = await toSecondStep(app);
  t.equal(login.statusCode, 200);
  t.match(login.body, `texted to ${PHONE}`);
  t.match(login.body, 'name="resendCode" value="true"');
  const sent = await texts(app);
  t.equal(sent.length, before + 1, 'one text');
  const done = await post('/oauth2/two-factor', { ...hiddenFields(login.body), code: sent[0]!.code });
  t.equal(done.statusCode, 302);
  t.match(done.headers.location, /^http:\/\/localhost:3000\/callback\?code=/);
});

t.test('a gateway that fails: the code page says why (400), and a resend once it is back sends the code', async (t) => {
  const app = await setUp(t);
  gatewayStatus = 502;
  const { login, post } = await toSecondStep(app);
  t.equal(login.statusCode, 400);
  t.match(login.body, 'The code could not be sent');
  t.match(login.body, 'HTTP 502');
  t.equal((await texts(app))[0]!.delivery, 'failed');
  gatewayStatus = 200;
  const resent = await post('/oauth2/two-factor', { ...hiddenFields(login.body), resendCode: 'true' });
  t.equal(resent.statusCode, 200);
  t.match(resent.body, `A new code was sent to ${PHONE}`);
  const done = await post('/oauth2/two-factor', { ...hiddenFields(login.body), code: (await texts(app))[0]!.code });
  t.equal(done.statusCode, 302);
});
