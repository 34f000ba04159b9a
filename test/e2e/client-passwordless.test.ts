import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';

// The Passwordless API through @fusionauth/typescript-client: startPasswordlessLogin answers a code,
// sendPasswordlessCode emails it (read from the outbox, and once through a real SMTP server on loopback),
// passwordlessLogin exchanges it once for the Login API's answer (docs/forgot-password-and-passwordless.md).
const API_KEY = 'passwordless-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a1000000-0000-4000-8000-000000000001';
const OFF_APP = 'a1000000-0000-4000-8000-000000000002';
const USER = 'a2000000-0000-4000-8000-000000000001';
const EMAIL = 'dinesh@example.com';

async function start(email: Record<string, unknown> = {}) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          method: 'PATCH',
          url: `/api/tenant/${TENANT}`,
          body: { tenant: { emailConfiguration: { defaultFromEmail: 'noreply@standin.test', ...email } } },
        },
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Store',
              passwordlessConfiguration: { enabled: true },
              loginConfiguration: { generateRefreshTokens: true, allowTokenRefresh: true },
            },
          },
        },
        { url: `/api/application/${OFF_APP}`, body: { application: { name: 'No magic' } } },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: EMAIL, password: 'password1', firstName: 'Dinesh' }, registration: { applicationId: APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  return standin;
}

const standin = await start();
const client = new FusionAuthClient(API_KEY, standin.url);

t.test('start → {code}; send → 200 and the email with the link; login → 200 with token, refresh token, user and state', async (t) => {
  standin.clearEmails();
  const started = await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL, state: { next: '/cart' } });
  t.equal(started.statusCode, 200);
  const code = started.response.code!;
  t.match(code, /^[A-Za-z0-9_-]{43}$/, 'a random code');

  const sent = await client.sendPasswordlessCode({ code });
  t.equal(sent.statusCode, 200);
  const email = await standin.waitForEmail({ to: EMAIL, type: 'passwordless' });
  t.equal(email.code, code);
  const link = new URL(email.links[0]!);
  t.equal(link.pathname, `/oauth2/passwordless/${code}`);
  t.equal(link.searchParams.get('tenantId'), TENANT);
  t.equal(link.searchParams.get('next'), '/cart', 'the state travels as query parameters');

  const login = await client.passwordlessLogin({ code, ipAddress: '192.0.2.7' });
  t.equal(login.statusCode, 200);
  t.equal(login.response.user!.id, USER);
  t.same(login.response.state, { next: '/cart' }, "the start request's state comes back");
  t.ok(login.response.refreshToken, 'a refresh token, as the Login API gives');
  const claims = (await client.validateJWT(login.response.token!)).response.jwt!;
  t.match(claims, { sub: USER, aud: APP, authenticationType: 'PASSWORDLESS' });

  assertEmpty(t, await settle(client.passwordlessLogin({ code })), 404);
});

t.test('a new start makes the older code useless; an expired code is refused (passwordlessLoginTimeToLiveInSeconds, 180)', async (t) => {
  const first = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response.code!;
  const second = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response.code!;
  assertEmpty(t, await settle(client.passwordlessLogin({ code: first })), 404);
  standin.clock.advance(181);
  t.teardown(() => {
    standin.clock.reset();
  });
  assertEmpty(t, await settle(client.passwordlessLogin({ code: second })), 404);
  const third = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response.code!;
  standin.clock.advance(179);
  t.equal((await client.passwordlessLogin({ code: third })).statusCode, 200, 'alive at 179 s');
});

t.test(
  "FusionAuth's statuses: 401 without a key, 400 blank fields or unknown application, 404 unknown user, 400 disabled, bad send code",
  async (t) => {
    t.equal((await settle(new FusionAuthClient('', standin.url).startPasswordlessLogin({ applicationId: APP, loginId: EMAIL }))).statusCode, 401);
    assertFieldError(t, await settle(client.startPasswordlessLogin({ applicationId: APP, loginId: '' })), 'loginId', 'blank');
    assertFieldError(t, await settle(client.startPasswordlessLogin({ loginId: EMAIL })), 'applicationId', 'blank');
    assertFieldError(
      t,
      await settle(client.startPasswordlessLogin({ applicationId: 'a9999999-0000-4000-8000-000000000009', loginId: EMAIL })),
      'applicationId',
      'invalid',
    );
    assertEmpty(t, await settle(client.startPasswordlessLogin({ applicationId: APP, loginId: 'nobody@example.com' })), 404);
    assertGeneralError(t, await settle(client.startPasswordlessLogin({ applicationId: OFF_APP, loginId: EMAIL })), '[PasswordlessDisabled]');
    assertFieldError(t, await settle(client.sendPasswordlessCode({ code: 'no-such-code' })), 'code', 'invalid');
    assertFieldError(t, await settle(client.passwordlessLogin({ code: '' })), 'code', 'blank');
  },
);

t.test('through a real SMTP server on loopback: the email that leaves Standin has the link', async (t) => {
  const smtp = await startSmtpCatcher();
  t.teardown(() => smtp.close());
  const mailing = await start({ host: '127.0.0.1', port: smtp.port, security: 'NONE' });
  const mailClient = new FusionAuthClient(API_KEY, mailing.url);
  const code = (await mailClient.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response.code!;
  await mailClient.sendPasswordlessCode({ code });
  const { mail } = await smtp.next();
  t.equal(mail.subject, 'Your login link');
  t.match(mail.text, `${mailing.url}/oauth2/passwordless/${code}?tenantId=${TENANT}`);
});
