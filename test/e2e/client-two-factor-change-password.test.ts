import t from 'tap';
import { assertGeneralError, settle } from '../helpers/fixtures.js';
import { startWithAuthenticator } from '../helpers/authenticator-standin.js';

// The Change Password API for a user with a second factor (docs/two-factor.md, "Step-up and trust tokens"), through
// FusionAuth's TypeScript client: every form asks for a trustToken, bound to the step-up's trustChallenge if any.
const API_KEY = 'two-factor-change-password-key-01234567';
const APP = 'b6000000-0000-4000-8000-000000000001';
const USER = 'b6000000-0000-4000-8000-0000000000e1';
const PLAIN = 'b6000000-0000-4000-8000-0000000000e2';
const EMAIL = 'laurie@example.com';
const PLAIN_EMAIL = 'monica@example.com';
const TRUST_TOKEN_REQUIRED = '[TrustTokenRequired]';

const { standin, client, code } = await startWithAuthenticator(t, {
  apiKey: API_KEY,
  userId: USER,
  requests: [
    { url: `/api/application/${APP}`, body: { application: { name: 'Raviga' } } },
    { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: 'password0' }, registration: { applicationId: APP } } },
    { url: `/api/user/registration/${PLAIN}`, body: { user: { email: PLAIN_EMAIL, password: 'password0' }, registration: { applicationId: APP } } },
  ],
});

// The user's password, as each successful change moves it on.
let password = 'password0';
let changes = 0;
const nextPassword = () => `password${++changes}`;

/** A trust token from a step-up, with `trustChallenge` if given. */
async function stepUp(userId = USER, trustChallenge?: string): Promise<string> {
  const started = await client.startTwoFactorLogin({ userId, applicationId: APP, ...(trustChallenge ? { trustChallenge } : {}) });
  const done = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code: started.response.code!, applicationId: APP });
  return done.response.trustToken!;
}

/** The user's JWT, through both steps of the Login API. */
async function jwt(): Promise<string> {
  standin.clock.advance(30);
  const first = await client.login({ loginId: EMAIL, password, applicationId: APP });
  const done = await client.twoFactorLogin({ twoFactorId: first.response.twoFactorId!, code: code(), applicationId: APP });
  return done.response.token!;
}

/** Whether `candidate` is the user's password now (a right one answers 242, the second step). */
async function isPassword(candidate: string): Promise<boolean> {
  return (await settle(client.login({ loginId: EMAIL, password: candidate, applicationId: APP }))).statusCode === 242;
}

t.test('the JWT form: refused without a trust token and nothing written; a step-up trust token works once', async (t) => {
  const token = await jwt();
  const without = await settle(client.changePasswordUsingJWT(token, { currentPassword: password, password: nextPassword() }));
  assertGeneralError(t, without, TRUST_TOKEN_REQUIRED);
  t.ok(await isPassword(password), 'the password is unchanged');

  const trustToken = await stepUp();
  const changed = await client.changePasswordUsingJWT(token, { currentPassword: password, password: `password${changes}`, trustToken });
  t.equal(changed.statusCode, 200);
  t.type(changed.response.oneTimePassword, 'string');
  password = `password${changes}`;
  t.ok(await isPassword(password), 'the new password is set');

  const again = await settle(client.changePasswordUsingJWT(await jwt(), { currentPassword: password, password: nextPassword(), trustToken }));
  assertGeneralError(t, again, TRUST_TOKEN_REQUIRED);
});

t.test('the API key form with a loginId, with the trust token of a two-factor login', async (t) => {
  assertGeneralError(t, await settle(client.changePasswordByIdentity({ loginId: EMAIL, password: nextPassword() })), TRUST_TOKEN_REQUIRED);
  standin.clock.advance(30);
  const first = await client.login({ loginId: EMAIL, password, applicationId: APP });
  const done = await client.twoFactorLogin({ twoFactorId: first.response.twoFactorId!, code: code(), applicationId: APP });
  const changed = await client.changePasswordByIdentity({ loginId: EMAIL, password: `password${changes}`, trustToken: done.response.trustToken! });
  t.equal(changed.statusCode, 200);
  password = `password${changes}`;
});

t.test('the changePasswordId form: an emailed link alone no longer changes the password', async (t) => {
  const forgot = await client.forgotPassword({ loginId: EMAIL, applicationId: APP, sendForgotPasswordEmail: false });
  const changePasswordId = forgot.response.changePasswordId!;
  assertGeneralError(t, await settle(client.checkChangePasswordUsingId(changePasswordId)), TRUST_TOKEN_REQUIRED);
  assertGeneralError(t, await settle(client.changePassword(changePasswordId, { password: nextPassword() })), TRUST_TOKEN_REQUIRED);
  const changed = await client.changePassword(changePasswordId, { password: `password${changes}`, trustToken: await stepUp() });
  t.equal(changed.statusCode, 200, 'the refusal did not use the changePasswordId up');
  t.type(changed.response.oneTimePassword, 'string');
  password = `password${changes}`;
});

t.test("a trustChallenge given at start must come with the trust token, and another user's token does not count", async (t) => {
  const trustToken = await stepUp(USER, 'challenge-of-the-day');
  const change = (extra: { trustChallenge?: string; trustToken?: string }) =>
    settle(client.changePasswordByIdentity({ loginId: EMAIL, password: `password${changes + 1}`, trustToken, ...extra }));
  assertGeneralError(t, await change({}), TRUST_TOKEN_REQUIRED);
  assertGeneralError(t, await change({ trustChallenge: 'another-challenge' }), TRUST_TOKEN_REQUIRED);
  assertGeneralError(t, await change({ trustChallenge: 'challenge-of-the-day', trustToken: await stepUp(PLAIN) }), TRUST_TOKEN_REQUIRED);
  t.equal((await change({ trustChallenge: 'challenge-of-the-day' })).statusCode, 200);
  password = nextPassword();
  t.ok(await isPassword(password));
});

t.test("a trust token lives the tenant's trustTokenTimeToLiveInSeconds, 180 s by default", async (t) => {
  const trustToken = await stepUp();
  standin.clock.advance(180);
  assertGeneralError(
    t,
    await settle(client.changePasswordByIdentity({ loginId: EMAIL, password: nextPassword(), trustToken })),
    TRUST_TOKEN_REQUIRED,
  );
});

t.test('the checks answer [TrustTokenRequired] for a user with a second factor, 200 for one without', async (t) => {
  assertGeneralError(t, await settle(client.checkChangePasswordUsingLoginId(EMAIL)), TRUST_TOKEN_REQUIRED);
  assertGeneralError(t, await settle(client.checkChangePasswordUsingJWT(await jwt())), TRUST_TOKEN_REQUIRED);
  t.equal((await client.checkChangePasswordUsingLoginId(PLAIN_EMAIL)).statusCode, 200);
  t.equal((await client.changePasswordByIdentity({ loginId: PLAIN_EMAIL, password: 'password9' })).statusCode, 200, 'no trust token asked');
});
