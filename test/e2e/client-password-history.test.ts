import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertFieldError, hiddenFields, settle, startTenantStandin } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// Two rules of the forgot-password workflow through @fusionauth/typescript-client: the tenant's
// rememberPreviousPasswords ([previouslyUsed]password), and a changePasswordId that works once even when two
// submits race (docs/forgot-password-and-passwordless.md).
const API_KEY = 'password-history-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const EMAIL = 'laurie@example.com';

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: { tenant: { passwordValidationRules: { rememberPreviousPasswords: { enabled: true, count: 2 } } } },
    },
    { url: '/api/user', body: { user: { email: EMAIL, password: 'password-a' } } },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const anonymous = new FusionAuthClient('', standin.url);

async function changeTo(password: string) {
  const { changePasswordId } = (await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false })).response;
  return settle(anonymous.changePassword(changePasswordId!, { password }));
}

t.test('rememberPreviousPasswords: the current password and the one before it are refused, older ones are not', async (t) => {
  assertFieldError(t, await changeTo('password-a'), 'password', 'previouslyUsed');
  t.equal((await changeTo('password-b')).statusCode, 200, 'a new password');
  assertFieldError(t, await changeTo('password-a'), 'password', 'previouslyUsed');
  assertFieldError(t, await changeTo('password-b'), 'password', 'previouslyUsed');
  t.equal((await changeTo('password-c')).statusCode, 200);
  t.equal((await changeTo('password-a')).statusCode, 200, 'three passwords back: allowed with count 2');
  t.equal((await client.login({ loginId: EMAIL, password: 'password-a' })).statusCode, 200);
});

t.test('the hosted change page shows "Password has been recently used"', async (t) => {
  const { changePasswordId } = (await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false })).response;
  const browser = createHttpBrowser();
  const page = await browser.get(`${standin.url}/password/change/${changePasswordId}`);
  const answer = await browser.post(`${standin.url}/password/change`, {
    ...hiddenFields(await page.text()),
    password: 'password-c',
    passwordConfirm: 'password-c',
  });
  t.equal(answer.status, 400);
  t.match(await answer.text(), /Password has been recently used/);
});

t.test('two submits racing with one changePasswordId: one sets the password, the other gets 404', async (t) => {
  const { changePasswordId } = (await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false })).response;
  const answers = await Promise.all(
    ['racing-one-1', 'racing-two-2', 'racing-three-3'].map((password) => settle(anonymous.changePassword(changePasswordId!, { password }))),
  );
  t.same(answers.map((answer) => answer.statusCode).sort(), [200, 404, 404], 'exactly one change');
  const winner = ['racing-one-1', 'racing-two-2', 'racing-three-3'][answers.findIndex((answer) => answer.statusCode === 200)]!;
  t.equal((await client.login({ loginId: EMAIL, password: winner })).statusCode, 200, "the winner's password is the one set");
  t.equal(
    answers.filter((answer) => (answer.response as { oneTimePassword?: string } | undefined)?.oneTimePassword).length,
    1,
    'one one-time password',
  );
});

t.test('two hosted change-page submits racing with one link: one changes, the other is told the link is used', async (t) => {
  const { changePasswordId } = (await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false })).response;
  const browser = createHttpBrowser();
  const fields = hiddenFields(await (await browser.get(`${standin.url}/password/change/${changePasswordId}`)).text());
  const passwords = ['hosted-one-1', 'hosted-two-2', 'hosted-three-3', 'hosted-four-4'];
  const answers = await Promise.all(
    passwords.map((password) => browser.post(`${standin.url}/password/change`, { ...fields, password, passwordConfirm: password })),
  );
  t.same(answers.map((answer) => answer.status).sort(), [200, 404, 404, 404]);
});
