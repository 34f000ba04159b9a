import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { pageCsrfToken } from '../../src/oauth/page-csrf.js';
import { hiddenFields, startTenantStandin } from '../helpers/fixtures.js';

// The email gate's "change email" form, under the tenant's unverified.allowEmailChangeWhenGated
// (docs/email-verification.md): a user who signed up with a mistyped address fixes it at the gate.
const API_KEY = 'gate-change-email-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a4000000-0000-4000-8000-000000000001';
const CALLBACK = 'http://localhost:3000/callback';
const gated = (allowEmailChangeWhenGated: boolean) => ({
  tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated', allowEmailChangeWhenGated } } },
});

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: gated(true) },
    { url: `/api/application/${APP}`, body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
    { url: '/api/user/registration', body: { user: { email: 'eric@exmaple.com', password: 'password1' }, registration: { applicationId: APP } } },
    { url: '/api/user', body: { user: { email: 'taken@example.com', password: 'password1' } } },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'ce' });

/** The change-email form's fields, from the gate's HTML. */
function changeForm(html: string): Record<string, string> {
  // The change form is the gate's last form.
  return hiddenFields(html.slice(html.lastIndexOf('<form')));
}

t.test('the gate offers "change email"; the new address is saved unverified and gets the verification email', async (t) => {
  const browser = createHttpBrowser();
  const login = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  const gate = await browser.post(`${standin.url}/oauth2/authorize`, {
    ...hiddenFields(await login.text()),
    loginId: 'eric@exmaple.com',
    password: 'password1',
  });
  const html = await gate.text();
  t.match(html, /<label for="new-email">Change email address<\/label>/, 'the form is offered, labelled');
  const fields = changeForm(html);
  t.equal(fields.userEmail, 'eric@exmaple.com');

  const taken = await browser.post(`${standin.url}/email/verification-required`, { ...fields, email: 'taken@example.com' });
  t.equal(taken.status, 400);
  t.match(await taken.text(), /An account already exists for that email/);
  const forged = await browser.post(`${standin.url}/email/verification-required`, {
    ...fields,
    userEmail: 'taken@example.com',
    email: 'mine@example.com',
  });
  t.equal(forged.status, 403, 'the user is the one the gate was shown to');

  standin.clearEmails();
  const changed = await browser.post(`${standin.url}/email/verification-required`, { ...fields, email: 'eric@example.com' });
  t.equal(changed.status, 200);
  t.match(await changed.text(), /Your email address has been updated to eric@example.com/);
  const user = (await client.retrieveUserByEmail('eric@example.com')).response.user!;
  t.equal(user.verified, false, 'the new address is unverified');
  const mail = await standin.waitForEmail({ to: 'eric@example.com', type: 'emailVerification' });
  t.equal((await client.verifyEmailAddress({ verificationId: mail.verificationId! })).statusCode, 200);

  const login2 = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  const done = await browser.post(`${standin.url}/oauth2/authorize`, {
    ...hiddenFields(await login2.text()),
    loginId: 'eric@example.com',
    password: 'password1',
  });
  t.match(done.headers.get('location'), /code=/, 'verified at the new address: logged in');
});

t.test('the gate carries a long state whole, in each of its forms', async (t) => {
  await client.createUser(undefined as unknown as string, { user: { email: 'monica@example.com', password: 'password1' }, applicationId: APP });
  const state = 's'.repeat(3000);
  const browser = createHttpBrowser();
  const longQuery = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state });
  const login = await browser.get(`${standin.url}/oauth2/authorize?${longQuery}`);
  const gate = await browser.post(`${standin.url}/oauth2/authorize`, {
    ...hiddenFields(await login.text()),
    loginId: 'monica@example.com',
    password: 'password1',
  });
  const html = await gate.text();
  t.match(html, /You must verify your email address/);
  // The form whose hidden `action` is `resend` ("Send me another email").
  const resendForm = (page: string) => {
    const end = page.indexOf('value="resend"');
    return hiddenFields(page.slice(page.lastIndexOf('<form', end), page.indexOf('</form>', end)));
  };
  t.equal(resendForm(html).state, state, 'the resend form');
  t.equal(changeForm(html).state, state, 'the change-email form');
  const resent = await browser.post(`${standin.url}/email/verification-required`, { ...resendForm(html), action: 'resend' });
  t.equal(resent.status, 200);
  t.equal(resendForm(await resent.text()).state, state, 'and the page after a resend');
});

t.test('a browser that did not log in cannot act at the gate, whatever cookie it picks', async (t) => {
  await client.createUser(undefined as unknown as string, { user: { email: 'victim@example.com', password: 'password1' }, applicationId: APP });
  // The attacker chooses the page cookie and signs the forms with it, as a browser-only double submit would allow.
  const cookie = 'A'.repeat(43);
  const oauth = [
    ['client_id', APP],
    ['redirect_uri', CALLBACK],
    ['response_type', 'code'],
  ] as const;
  const post = (purpose: string, fields: ReadonlyArray<readonly [string, string]>, extra: Record<string, string>) =>
    fetch(`${standin.url}/email/verification-required`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `standin.csrf.pages=${cookie}` },
      body: new URLSearchParams([
        ...fields.map(([name, value]) => [name, value]),
        ['csrf_token', pageCsrfToken(cookie, purpose, fields)],
        ...Object.entries(extra),
      ]),
    });
  const change = await post('gate-email-change', [...oauth, ['userEmail', 'victim@example.com']], {
    action: 'changeEmail',
    email: 'attacker@example.com',
  });
  t.equal(change.status, 403, 'the email change is refused');
  t.equal((await client.retrieveUserByEmail('victim@example.com')).statusCode, 200, "the victim's address is unchanged");
  const resend = await post('gate-email', [...oauth, ['email', 'victim@example.com']], { action: 'resend' });
  t.equal(resend.status, 403, 'so is a resend, which would tell the address has an unverified account');
});

t.test('without allowEmailChangeWhenGated the form is not offered and its POST is refused', async (t) => {
  await client.patchTenant(TENANT, gated(false) as never);
  await client.createUser(undefined as unknown as string, { user: { email: 'nelson@example.com', password: 'password1' }, applicationId: APP });
  await client.register((await client.retrieveUserByEmail('nelson@example.com')).response.user!.id!, { registration: { applicationId: APP } });
  const browser = createHttpBrowser();
  const login = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  const html = await (
    await browser.post(`${standin.url}/oauth2/authorize`, {
      ...hiddenFields(await login.text()),
      loginId: 'nelson@example.com',
      password: 'password1',
    })
  ).text();
  t.match(html, /You must verify your email address/);
  t.notMatch(html, /changeEmail/, 'no change form');
  const posted = await browser.post(`${standin.url}/email/verification-required`, {
    ...hiddenFields(html),
    action: 'changeEmail',
    email: 'other@example.com',
  });
  t.equal(posted.status, 403);
});
