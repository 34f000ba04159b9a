import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { createHttpBrowser, type HttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields, startTenantStandin } from '../helpers/fixtures.js';

// Registration verification at login (docs/email-verification.md): the Login API's 213 through
// @fusionauth/typescript-client, and the hosted login's gate for an unverified registration to an application
// whose `unverified.behavior` is Gated.
const API_KEY = 'client-registration-gate-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const ALLOW = 'a3000000-0000-4000-8000-000000000001';
const GATED = 'a3000000-0000-4000-8000-000000000002';
const CALLBACK = 'http://localhost:3000/callback';
const oauth = { authorizedRedirectURLs: [CALLBACK] };

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    { url: `/api/application/${ALLOW}`, body: { application: { name: 'Allowing', verifyRegistration: true, oauthConfiguration: oauth } } },
    {
      url: `/api/application/${GATED}`,
      body: { application: { name: 'Gating', verifyRegistration: true, unverified: { behavior: 'Gated' }, oauthConfiguration: oauth } },
    },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const anonymous = new FusionAuthClient('', standin.url);

let n = 0;
async function registered(applicationId: string): Promise<{ email: string; userId: string }> {
  const email = `jian-yang${++n}@example.com`;
  const created = await client.register(undefined as unknown as string, { user: { email, password: 'password1' }, registration: { applicationId } });
  if (created.response.registration!.verified !== false) throw new Error('the registration should start unverified');
  return { email, userId: created.response.user!.id! };
}

t.test('Login API: 213 with a token under Allow, 213 without one under Gated, 200 once verified', async (t) => {
  const allowed = await registered(ALLOW);
  const allowAnswer = await client.login({ loginId: allowed.email, password: 'password1', applicationId: ALLOW });
  t.equal(allowAnswer.statusCode, 213, 'Allow: 213');
  t.type(allowAnswer.response.token, 'string', 'Allow: still a token');

  const gated = await registered(GATED);
  const gatedAnswer = await client.login({ loginId: gated.email, password: 'password1', applicationId: GATED });
  t.equal(gatedAnswer.statusCode, 213, 'Gated: 213');
  t.notOk(gatedAnswer.response.token, 'Gated: no token');
  t.notOk(gatedAnswer.response.refreshToken, 'Gated: no refresh token');
  t.equal(gatedAnswer.response.user!.email, gated.email, 'with the user');
  t.notOk(gatedAnswer.response.registrationVerificationId, 'ClickableLink: no verification id');
  t.equal((await client.login({ loginId: gated.email, password: 'password1' })).statusCode, 200, 'a login naming no application is not gated');

  const mail = await standin.waitForEmail({ to: gated.email, type: 'registrationVerification' });
  t.equal((await anonymous.verifyUserRegistration({ verificationId: mail.verificationId! })).statusCode, 200);
  const after = await client.login({ loginId: gated.email, password: 'password1', applicationId: GATED });
  t.equal(after.statusCode, 200, 'verified: 200');
  t.type(after.response.token, 'string');
});

t.test('Login API under FormField: 213 carries a new registrationVerificationId whose code is emailed', async (t) => {
  await client.patchApplication(GATED, { application: { verificationStrategy: 'FormField' } as never });
  t.teardown(() => client.patchApplication(GATED, { application: { verificationStrategy: 'ClickableLink' } as never }));
  const { email } = await registered(GATED);
  standin.clearEmails();
  const answer = await client.login({ loginId: email, password: 'password1', applicationId: GATED });
  t.equal(answer.statusCode, 213);
  const verificationId = answer.response.registrationVerificationId!;
  t.type(verificationId, 'string', 'registrationVerificationId');
  const mail = await standin.waitForEmail({ to: email, type: 'registrationVerification' });
  t.equal(mail.verificationId, verificationId, 'the emailed verification is the one answered');
  const verified = await anonymous.verifyUserRegistration({ verificationId, oneTimeCode: mail.verificationOneTimeCode! });
  t.equal(verified.statusCode, 200);
  t.equal((await client.login({ loginId: email, password: 'password1', applicationId: GATED })).statusCode, 200);
});

/** Logs in on the hosted page and returns the answer to the login POST. */
async function hostedLogin(browser: HttpBrowser, query: URLSearchParams, email: string): Promise<Response> {
  const page = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  return browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(await page.text()), loginId: email, password: 'password1' });
}

t.test('hosted login: the registration gate instead of a code; resend; an SSO session and prompt=none are stopped too', async (t) => {
  const { email, userId } = await registered(GATED);
  const browser = createHttpBrowser();
  const query = new URLSearchParams({ client_id: GATED, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'r-1' });
  const gate = await hostedLogin(browser, query, email);
  t.equal(gate.status, 200, 'no redirect with a code');
  const html = await gate.text();
  t.match(html, /You must verify your registration before you continue to <strong>Gating<\/strong>/);
  t.match(html, /action="\/registration\/verification-required"/);

  standin.clearEmails();
  const resent = await browser.post(`${standin.url}/registration/verification-required`, { ...hiddenFields(html), action: 'resend' });
  t.equal(resent.status, 200);
  t.match(await resent.text(), /A verification email is on the way./);
  const mail = await standin.waitForEmail({ to: email, type: 'registrationVerification' });
  const forged = await browser.post(`${standin.url}/registration/verification-required`, {
    ...hiddenFields(html),
    action: 'resend',
    email: 'someone@example.com',
  });
  t.equal(forged.status, 403, 'the gate form is bound to its fields');

  // The user is logged in to the application after verifying: the SSO session of another application of the tenant is no way round.
  await client.register(userId, { registration: { applicationId: ALLOW }, skipRegistrationVerification: true });
  const other = new URLSearchParams({ client_id: ALLOW, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'r-2' });
  t.equal((await hostedLogin(browser, other, email)).status, 302, 'logged in to the application that allows');
  t.equal((await browser.get(`${standin.url}/oauth2/authorize?${query}`)).status, 200, 'the session finds the gate');
  const silent = await browser.get(`${standin.url}/oauth2/authorize?${query}&prompt=none`);
  t.equal(new URL(silent.headers.get('location')!).searchParams.get('error_reason'), 'registration_verification_required');

  t.equal((await anonymous.verifyUserRegistration({ verificationId: mail.verificationId! })).statusCode, 200);
  const code = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  t.match(code.headers.get('location'), /code=/, 'verified: the session logs in');
});

t.test('hosted login under FormField: the code typed on the gate verifies and sends the browser back to the request', async (t) => {
  await client.patchApplication(GATED, { application: { verificationStrategy: 'FormField' } as never });
  t.teardown(() => client.patchApplication(GATED, { application: { verificationStrategy: 'ClickableLink' } as never }));
  const { email } = await registered(GATED);
  const browser = createHttpBrowser();
  const query = new URLSearchParams({ client_id: GATED, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'r-3' });
  const html = await (await hostedLogin(browser, query, email)).text();
  t.match(html, /Verification code/);
  const wrong = await browser.post(`${standin.url}/registration/verification-required`, {
    ...hiddenFields(html),
    action: 'verify',
    oneTimeCode: 'WRONG9',
  });
  t.equal(wrong.status, 400);
  const { verificationOneTimeCode } = await standin.waitForEmail({ to: email, type: 'registrationVerification' });
  const right = await browser.post(`${standin.url}/registration/verification-required`, {
    ...hiddenFields(html),
    action: 'verify',
    oneTimeCode: verificationOneTimeCode!,
  });
  t.equal(right.status, 303);
  t.match(right.headers.get('location'), /^\/oauth2\/authorize\?.*state=r-3/);
  const login = await hostedLogin(browser, query, email);
  t.match(login.headers.get('location'), /code=.*state=r-3/, 'logged in with a code');
});
