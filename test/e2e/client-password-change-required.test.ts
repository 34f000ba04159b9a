import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';
import { authenticatorCode } from '../helpers/totp.js';

// A user whose `passwordChangeRequired` is set logs in to a changePasswordId, not to tokens (docs/login-flow.md,
// "A required password change"), through @fusionauth/typescript-client: the Login API's 203, the same after the
// second factor and after a magic link, and the password grant's change_password_required.
const API_KEY = 'password-change-required-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c8000000-0000-4000-8000-000000000001';
const SECRET = 'password-change-required-secret-0123456789';
const USER = 'c8100000-0000-4000-8000-000000000001';
const EMAIL = 'gilfoyle@example.com';
const PASSWORD = 'temporary-password-1';
const NEW_PASSWORD = 'a-password-of-my-own-2';
// A frozen clock five seconds into a time step, so that authenticator codes are predictable.
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;

async function start(t: Test) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Pied Piper',
              loginConfiguration: { generateRefreshTokens: true },
              passwordlessConfiguration: { enabled: true },
              oauthConfiguration: { clientSecret: SECRET, enabledGrants: ['password', 'refresh_token'] },
            },
          },
        },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: EMAIL, password: PASSWORD, passwordChangeRequired: true }, registration: { applicationId: APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  return { standin, client: new FusionAuthClient(API_KEY, standin.url) };
}

t.test('the Login API answers 203 with a changePasswordId; the change clears the flag and the new password logs in', async (t) => {
  const { client } = await start(t);
  const first = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  t.equal(first.statusCode, 203);
  t.same(Object.keys(first.response).sort(), ['changePasswordId', 'changePasswordReason']);
  t.equal(first.response.changePasswordReason, 'Administrative');
  t.notOk(first.response.token, 'no token');

  const changed = await client.changePassword(first.response.changePasswordId!, { password: NEW_PASSWORD });
  t.equal(changed.statusCode, 200);
  t.equal((await client.retrieveUser(USER)).response.user!.passwordChangeRequired, false, 'the flag is cleared');
  const second = await client.login({ loginId: EMAIL, password: NEW_PASSWORD, applicationId: APP });
  t.equal(second.statusCode, 200);
  t.ok(second.response.token, 'and the new password gets a token');
});

t.test('a wrong password is still an empty 404, not a 203', async (t) => {
  const { client } = await start(t);
  const answer = await settle(client.login({ loginId: EMAIL, password: 'not-the-password', applicationId: APP }));
  t.equal(answer.statusCode, 404);
});

t.test('with a second factor the 203 comes once it is passed, from /api/two-factor/login', async (t) => {
  const { client } = await start(t);
  // Enrolling needs a token; the flag is set again afterwards.
  await client.patchUser(USER, { user: { passwordChangeRequired: false } });
  const login = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  const secret = (await client.generateTwoFactorSecretUsingJWT(login.response.token!)).response.secretBase32Encoded!;
  await client.enableTwoFactor(USER, { method: 'authenticator', secretBase32Encoded: secret, code: authenticatorCode(secret, T0) });
  await client.patchUser(USER, { user: { passwordChangeRequired: true } });

  const step = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  t.equal(step.statusCode, 242, 'the second factor first');
  t.notOk((step.response as Record<string, unknown>).changePasswordId, 'and no changePasswordId before it');
  const done = await client.twoFactorLogin({
    twoFactorId: step.response.twoFactorId!,
    code: authenticatorCode(secret, T0 + 30_000),
    applicationId: APP,
  });
  t.equal(done.statusCode, 203);
  t.equal(done.response.changePasswordReason, 'Administrative');
  // The user has a second factor: the change takes the trust token the two-factor login answered with the 203.
  const trustToken = (done.response as { trustToken?: string }).trustToken;
  t.type(trustToken, 'string', 'the 203 carries a trustToken');
  t.equal((await client.changePassword(done.response.changePasswordId!, { password: NEW_PASSWORD, trustToken: trustToken! })).statusCode, 200);
});

t.test('a magic link answers 203 too', async (t) => {
  const { client } = await start(t);
  const { code } = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response;
  const answer = await client.passwordlessLogin({ code: code!, applicationId: APP });
  t.equal(answer.statusCode, 203);
  t.ok(answer.response.changePasswordId);
  t.notOk(answer.response.token);
});

t.test('the password grant refuses with change_password_required and the change_password_id that sets it', async (t) => {
  const { client } = await start(t);
  const refused = await settle(client.exchangeUserCredentialsForAccessToken(EMAIL, PASSWORD, APP, SECRET, 'offline_access', null as never));
  t.equal(refused.statusCode, 400);
  const error = refused.exception as unknown as Record<string, string>;
  t.match(error, { error: 'change_password_required', error_reason: 'change_password_administrative' });
  t.match(error.change_password_id, /^[A-Za-z0-9_-]{43}$/);
  t.equal((await client.changePassword(error.change_password_id!, { password: NEW_PASSWORD })).statusCode, 200);
  const granted = await client.exchangeUserCredentialsForAccessToken(EMAIL, NEW_PASSWORD, APP, SECRET, 'offline_access', null as never);
  t.equal(granted.statusCode, 200);
  t.ok(granted.response.access_token, 'the new password gets a token');
});
