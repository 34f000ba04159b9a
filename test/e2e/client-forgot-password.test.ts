import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';

// The forgot-password workflow through @fusionauth/typescript-client: forgotPassword sends the email (read from
// the outbox, and once through a real SMTP server on loopback), its link carries the changePasswordId and the
// request's state, and changePassword finishes it (docs/forgot-password-and-passwordless.md).
const API_KEY = 'forgot-password-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'f1000000-0000-4000-8000-000000000001';
const THEMED_APP = 'f1000000-0000-4000-8000-000000000002';
const USER = 'f2000000-0000-4000-8000-000000000001';
const NO_EMAIL_USER = 'f2000000-0000-4000-8000-000000000002';
const APP_TEMPLATE = 'f3000000-0000-4000-8000-000000000001';
const TENANT_TEMPLATE = 'f3000000-0000-4000-8000-000000000002';
const EMAIL = 'monica@example.com';
const CALLBACK = 'http://localhost:3000/callback';

const template = (id: string, subject: string) => ({
  url: `/api/email/template/${id}`,
  body: {
    emailTemplate: {
      name: subject,
      defaultSubject: subject,
      defaultHtmlTemplate: '<a href="${baseUrl}/password/change/${changePasswordId}">reset</a> ${(state.next)!"-"}',
      defaultTextTemplate: '${baseUrl}/password/change/${changePasswordId}',
    },
  },
});

async function start(extraTenant: Record<string, unknown> = {}) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        template(APP_TEMPLATE, 'Application template'),
        template(TENANT_TEMPLATE, 'Tenant template'),
        {
          method: 'PATCH',
          url: `/api/tenant/${TENANT}`,
          body: { tenant: { emailConfiguration: { defaultFromEmail: 'noreply@standin.test', ...extraTenant } } },
        },
        { url: `/api/application/${APP}`, body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
        {
          url: `/api/application/${THEMED_APP}`,
          body: { application: { name: 'Themed', emailConfiguration: { forgotPasswordEmailTemplateId: APP_TEMPLATE } } },
        },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: EMAIL, password: 'password1', firstName: 'Monica' }, registration: { applicationId: APP } },
        },
        { url: `/api/user/${NO_EMAIL_USER}`, body: { user: { username: 'no-email', password: 'password1' } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  return standin;
}

const standin = await start();
const client = new FusionAuthClient(API_KEY, standin.url);

t.test('forgotPassword sends the email: 200 {changePasswordId}, the link carries it and the state, changePassword finishes it', async (t) => {
  standin.clearEmails();
  const started = await client.forgotPassword({
    loginId: EMAIL,
    applicationId: APP,
    state: { client_id: APP, redirect_uri: CALLBACK, next: '/cart' },
  });
  t.equal(started.statusCode, 200);
  const changePasswordId = started.response.changePasswordId!;
  t.match(changePasswordId, /^[A-Za-z0-9_-]{43}$/, 'a random changePasswordId');

  const email = await standin.waitForEmail({ to: EMAIL, type: 'forgotPassword' });
  t.equal(email.changePasswordId, changePasswordId, 'the email carries the id the API returned');
  t.equal(email.subject, 'Reset your password', "Standin's default template when neither application nor tenant names one");
  const link = new URL(email.links[0]!);
  t.equal(link.origin + link.pathname, `${standin.url}/password/change/${changePasswordId}`);
  t.equal(link.searchParams.get('client_id'), APP);
  t.equal(link.searchParams.get('next'), '/cart', 'the state travels as query parameters');
  t.equal(link.searchParams.get('redirect_uri'), CALLBACK);

  const changed = await client.changePassword(changePasswordId, { password: 'brand-new-password' });
  t.equal(changed.statusCode, 200);
  t.same(changed.response.state, { client_id: APP, redirect_uri: CALLBACK, next: '/cart' }, 'the state comes back');
  assertEmpty(t, await settle(client.changePassword(changePasswordId, { password: 'another-password' })), 404);
  t.equal((await client.login({ loginId: EMAIL, password: 'brand-new-password', applicationId: APP })).statusCode, 200, 'the new password logs in');
});

t.test("the template: the application's forgotPasswordEmailTemplateId, else the tenant's, else Standin's", async (t) => {
  standin.clearEmails();
  await client.forgotPassword({ loginId: EMAIL, applicationId: THEMED_APP, state: { next: '/orders' } });
  const themed = await standin.waitForEmail({ to: EMAIL });
  t.equal(themed.subject, 'Application template');
  t.match(themed.html, /\/orders/, 'state is a template variable');

  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { forgotPasswordEmailTemplateId: TENANT_TEMPLATE } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { forgotPasswordEmailTemplateId: null } } } as never));
  standin.clearEmails();
  await client.forgotPassword({ loginId: EMAIL, applicationId: APP });
  t.equal((await standin.waitForEmail({ to: EMAIL })).subject, 'Tenant template');
  standin.clearEmails();
  await client.forgotPassword({ loginId: EMAIL, applicationId: THEMED_APP });
  t.equal((await standin.waitForEmail({ to: EMAIL })).subject, 'Application template', 'the application wins over the tenant');
});

t.test("FusionAuth's statuses: 404 unknown user, 422 no email address, 400 blank loginId or bad applicationId, 401 bad key", async (t) => {
  standin.clearEmails();
  assertEmpty(t, await settle(client.forgotPassword({ loginId: 'nobody@example.com' })), 404);
  const noEmail = await settle(client.forgotPassword({ loginId: 'no-email' }));
  t.equal(noEmail.statusCode, 422, '422 when the user has no email address');
  t.ok(
    (await client.forgotPassword({ loginId: 'no-email', sendForgotPasswordEmail: false })).response.changePasswordId,
    'no email needed when none is sent',
  );
  assertFieldError(t, await settle(client.forgotPassword({ loginId: '' })), 'loginId', 'blank');
  assertFieldError(
    t,
    await settle(client.forgotPassword({ loginId: EMAIL, applicationId: 'f9999999-0000-4000-8000-000000000009' })),
    'applicationId',
    'invalid',
  );
  t.equal((await settle(new FusionAuthClient('not-a-key', standin.url).forgotPassword({ loginId: EMAIL }))).statusCode, 401);
  t.same(standin.emails(), [], 'none of these sent an email');
});

t.test('sendForgotPasswordEmail false: the id, no email; a chosen changePasswordId; no API key: 200, no body, email sent', async (t) => {
  standin.clearEmails();
  const quiet = await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false, changePasswordId: 'my-own-change-password-id' });
  t.equal(quiet.response.changePasswordId, 'my-own-change-password-id');
  t.same(standin.emails(), [], 'no email');

  const anonymous = await fetch(`${standin.url}/api/user/forgot-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: EMAIL, sendForgotPasswordEmail: false, changePasswordId: 'chosen-without-key' }),
  });
  t.equal(anonymous.status, 200);
  t.equal(await anonymous.text(), '', 'no body without an API key');
  const email = await standin.waitForEmail({ to: EMAIL, type: 'forgotPassword' });
  t.not(email.changePasswordId, 'chosen-without-key', "without an API key the email is sent and the id is not the caller's");
  t.equal((await settle(client.changePassword('chosen-without-key', { password: 'whatever-password' }))).statusCode, 404);
});

t.test("the changePasswordId expires on Standin's clock (changePasswordIdTimeToLiveInSeconds, default 600)", async (t) => {
  const { changePasswordId } = (await client.forgotPassword({ loginId: EMAIL, sendForgotPasswordEmail: false })).response;
  standin.clock.advance(599);
  t.equal((await settle(client.checkChangePasswordUsingId(changePasswordId!))).statusCode, 200, 'alive at 599 s');
  standin.clock.advance(2);
  assertEmpty(t, await settle(client.changePassword(changePasswordId!, { password: 'too-late-password' })), 404);
  standin.clock.reset();
});

t.test('through a real SMTP server on loopback: the email that leaves Standin has the link', async (t) => {
  const smtp = await startSmtpCatcher();
  t.teardown(() => smtp.close());
  const mailing = await start({ host: '127.0.0.1', port: smtp.port, security: 'NONE' });
  const mailClient = new FusionAuthClient(API_KEY, mailing.url);
  const { changePasswordId } = (await mailClient.forgotPassword({ loginId: EMAIL, applicationId: APP })).response;
  const { mail } = await smtp.next();
  t.equal(mail.subject, 'Reset your password');
  t.match(mail.text, `${mailing.url}/password/change/${changePasswordId}?client_id=${APP}`);
  t.match(mail.html, `/password/change/${changePasswordId}`);
});
