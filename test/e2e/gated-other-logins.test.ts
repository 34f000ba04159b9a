import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields, startTenantStandin } from '../helpers/fixtures.js';

// The other ways in respect the verification gate too (docs/email-verification.md): magic links (API and hosted)
// and the forgot-password change page, which verifies the address implicitly unless the tenant says not to.
const API_KEY = 'gated-other-logins-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a5000000-0000-4000-8000-000000000001';
const CALLBACK = 'http://localhost:3000/callback';
const emailConfiguration = (implicitEmailVerificationAllowed: boolean) => ({
  verifyEmail: true,
  unverified: { behavior: 'Gated' },
  implicitEmailVerificationAllowed,
});

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { emailConfiguration: emailConfiguration(true) } } },
    {
      url: `/api/application/${APP}`,
      body: {
        application: { name: 'Store', passwordlessConfiguration: { enabled: true }, oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } },
      },
    },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const authorize = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'other' });

let n = 0;
async function unverifiedUser(): Promise<string> {
  const email = `carla${++n}@example.com`;
  await client.register(undefined as unknown as string, { user: { email, password: 'password1' }, registration: { applicationId: APP } });
  return email;
}

t.test('magic links: the Passwordless API answers 212 without a token, the hosted link shows the gate', async (t) => {
  const email = await unverifiedUser();
  const started = await client.startPasswordlessLogin({ applicationId: APP, loginId: email, state: { from: 'api' } });
  const answer = await client.passwordlessLogin({ code: started.response.code!, applicationId: APP });
  t.equal(answer.statusCode, 212);
  t.notOk(answer.response.token, 'no token');
  t.same(answer.response.state, { from: 'api' });

  const browser = createHttpBrowser();
  const page = await browser.get(`${standin.url}/oauth2/passwordless?${authorize}`);
  await browser.post(`${standin.url}/oauth2/passwordless`, { ...hiddenFields(await page.text()), loginId: email });
  const link = (await standin.waitForEmail({ to: email, type: 'passwordless' })).links[0]!;
  const followed = await browser.get(link);
  t.equal(followed.status, 200, 'no redirect with a code');
  t.match(await followed.text(), /You must verify your email address before you continue/);
});

t.test('forgot password: the change through the emailed link verifies the address and logs in', async (t) => {
  const email = await unverifiedUser();
  const browser = createHttpBrowser();
  const forgot = await browser.get(`${standin.url}/password/forgot?${authorize}`);
  await browser.post(`${standin.url}/password/forgot`, { ...hiddenFields(await forgot.text()), email });
  const link = (await standin.waitForEmail({ to: email, type: 'forgotPassword' })).links[0]!;
  const change = await browser.get(link);
  const done = await browser.post(`${standin.url}/password/change`, {
    ...hiddenFields(await change.text()),
    password: 'new-password-1',
    passwordConfirm: 'new-password-1',
  });
  t.equal(done.status, 302);
  t.match(done.headers.get('location'), /^http:\/\/localhost:3000\/callback\?code=/, 'logged in');
  t.equal((await client.retrieveUserByEmail(email)).response.user!.verified, true, 'verified implicitly');
});

t.test('with implicitEmailVerificationAllowed false the change stays unverified and ends at the gate', async (t) => {
  await client.patchTenant(TENANT, { tenant: { emailConfiguration: emailConfiguration(false) } } as never);
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: emailConfiguration(true) } } as never));
  const email = await unverifiedUser();
  const { changePasswordId } = (await client.forgotPassword({ loginId: email, sendForgotPasswordEmail: false })).response;
  const browser = createHttpBrowser();
  const change = await browser.get(`${standin.url}/password/change/${changePasswordId}?${authorize}`);
  const done = await browser.post(`${standin.url}/password/change`, {
    ...hiddenFields(await change.text()),
    password: 'new-password-2',
    passwordConfirm: 'new-password-2',
  });
  t.equal(done.status, 200);
  t.match(await done.text(), /You must verify your email address before you continue/);
  t.equal((await client.retrieveUserByEmail(email)).response.user!.verified, false);
});
