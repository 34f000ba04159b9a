import t from 'tap';
import { settle } from '../helpers/fixtures.js';
import { startWithAuthenticator } from '../helpers/authenticator-standin.js';

// The second factor on the Login API's other first steps (docs/two-factor.md), through FusionAuth's TypeScript
// client: a one-time password from a password change, and a passwordless code with a trusted device.
const API_KEY = 'two-factor-others-api-key-0123456789ab';
const APP = 'b3000000-0000-4000-8000-000000000001';
const USER = 'b3000000-0000-4000-8000-0000000000e1';
const EMAIL = 'monica@example.com';
const { standin, client, code } = await startWithAuthenticator(t, {
  apiKey: API_KEY,
  userId: USER,
  requests: [
    {
      url: `/api/application/${APP}`,
      body: {
        application: { name: 'Bachmanity', loginConfiguration: { generateRefreshTokens: true }, passwordlessConfiguration: { enabled: true } },
      },
    },
    { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: 'password1' }, registration: { applicationId: APP } } },
  ],
});

t.test('a one-time password from a password change answers 242 for a two-factor user; the token says ONE_TIME_PASSWORD', async (t) => {
  standin.clock.advance(30);
  // The change itself takes a trust token; the login its one-time password gives must still ask for the second factor.
  const forgot = await client.forgotPassword({ loginId: EMAIL, applicationId: APP, sendForgotPasswordEmail: false });
  const stepUp = await client.startTwoFactorLogin({ userId: USER, applicationId: APP });
  const trusted = await client.twoFactorLogin({ twoFactorId: stepUp.response.twoFactorId!, code: stepUp.response.code!, applicationId: APP });
  const changed = await client.changePassword(forgot.response.changePasswordId!, {
    password: 'password2',
    applicationId: APP,
    trustToken: trusted.response.trustToken!,
  });
  const first = await settle(client.login({ oneTimePassword: changed.response.oneTimePassword!, applicationId: APP }));
  t.equal(first.statusCode, 242, 'the second factor is asked for');
  t.notOk((first.response as { token?: string }).token, 'and no token is given yet');
  const done = await client.twoFactorLogin({
    twoFactorId: (first.response as { twoFactorId: string }).twoFactorId,
    code: code(),
    applicationId: APP,
  });
  const claims = JSON.parse(Buffer.from(done.response.token!.split('.')[1]!, 'base64url').toString()) as { authenticationType: string };
  t.equal(claims.authenticationType, 'ONE_TIME_PASSWORD');
});

t.test('passwordlessLogin takes the twoFactorTrustId in its body, as the Login API does', async (t) => {
  standin.clock.advance(30);
  const first = await settle(client.login({ loginId: EMAIL, password: 'password2', applicationId: APP }));
  const trusted = await client.twoFactorLogin({
    twoFactorId: (first.response as { twoFactorId: string }).twoFactorId,
    code: code(),
    applicationId: APP,
    trustComputer: true,
  });
  const { code: passwordless } = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response;
  const answer = await settle(
    client.passwordlessLogin({ code: passwordless!, applicationId: APP, twoFactorTrustId: trusted.response.twoFactorTrustId! }),
  );
  t.equal(answer.statusCode, 200, 'the trusted device skips the second step');
  t.ok(answer.response.token);
});
