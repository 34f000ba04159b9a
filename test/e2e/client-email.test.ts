import { FusionAuthClient, type EmailTemplate } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle, startTenantStandin } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';

// Email templates and the Send Email API through @fusionauth/typescript-client, with the tenant's SMTP settings
// pointing at a real SMTP server on loopback: what leaves Standin is parsed with mailparser and compared with the
// outbox copy tests read (docs/email.md).
const API_KEY = 'client-email-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'e1000000-0000-4000-8000-000000000001';
const USER = 'e2000000-0000-4000-8000-000000000001';
const NO_EMAIL_USER = 'e2000000-0000-4000-8000-000000000002';
const TEMPLATE = 'e3000000-0000-4000-8000-000000000001';
const UNKNOWN = 'e9999999-0000-4000-8000-000000000009';
const SMTP_USER = 'standin-smtp-user';
const SMTP_PASSWORD = 'smtp-password-0123456789';

const smtp = await startSmtpCatcher({ credentials: { user: SMTP_USER, pass: SMTP_PASSWORD } });
t.teardown(() => smtp.close());

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: {
        tenant: {
          emailConfiguration: {
            host: '127.0.0.1',
            port: smtp.port,
            security: 'NONE',
            username: SMTP_USER,
            password: SMTP_PASSWORD,
            defaultFromEmail: 'noreply@standin.test',
            defaultFromName: 'Standin Tests',
            additionalHeaders: [{ name: 'X-Standin-Test', value: 'client-email' }],
          },
        },
      },
    },
    { url: `/api/application/${APP}`, body: { application: { name: 'Mailer' } } },
    { url: `/api/user/${USER}`, body: { user: { email: 'erlich@example.com', password: 'password1', firstName: 'Erlich', lastName: 'Bachman' } } },
    { url: `/api/user/${NO_EMAIL_USER}`, body: { user: { username: 'no-email', password: 'password1' } } },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);

const template: EmailTemplate = {
  name: 'Account notice',
  fromEmail: 'notices@standin.test',
  defaultFromName: 'Notices for ${user.firstName}',
  defaultSubject: 'Hello ${user.firstName!"there"}',
  defaultHtmlTemplate: [
    '[#setting url_escaping_charset="UTF-8"]',
    '[#assign link = "${baseUrl}/notice/${requestData.noticeId}?who=" + user.email?url /]',
    '<p>Hi ${user.firstName?html},</p>',
    '[#if requestData.extra??]',
    '<p>${requestData.extra?html}</p>',
    '[/#if]',
    '<p><a href="${link?html}">Read it</a></p>',
  ].join('\n'),
  defaultTextTemplate: 'Hi ${user.firstName}, read it at ${baseUrl}/notice/${requestData.noticeId}?who=${user.email?url}',
  localizedSubjects: { fr: 'Bonjour ${user.firstName}' },
};

t.test('the tenant answers its emailConfiguration with FusionAuth defaults for what it leaves out', async (t) => {
  const { response } = await client.retrieveTenant(TENANT);
  const email = response.tenant!.emailConfiguration!;
  t.match(email, { host: '127.0.0.1', port: smtp.port, security: 'NONE', username: SMTP_USER, defaultFromEmail: 'noreply@standin.test' });
  t.match(email, {
    verifyEmail: false,
    verifyEmailWhenChanged: false,
    implicitEmailVerificationAllowed: true,
    verificationStrategy: 'ClickableLink',
    unverified: { behavior: 'Allow', allowEmailChangeWhenGated: false },
  });
  const bad = await settle(client.patchTenant(TENANT, { tenant: { emailConfiguration: { security: 'STARTTLS' as never, port: 0 } } }));
  assertFieldError(t, bad, 'tenant.emailConfiguration.security', 'invalid');
  assertFieldError(t, bad, 'tenant.emailConfiguration.port', 'invalid');
  const app = await settle(client.patchApplication(APP, { application: { emailConfiguration: { forgotPasswordEmailTemplateId: 'not-a-uuid' } } }));
  assertFieldError(t, app, 'application.emailConfiguration.forgotPasswordEmailTemplateId', 'invalid');
});

t.test('email templates: create, retrieve, update, patch, search, delete', async (t) => {
  const created = await client.createEmailTemplate(TEMPLATE, { emailTemplate: template });
  t.equal(created.statusCode, 200);
  t.match(created.response.emailTemplate, { ...template, id: TEMPLATE });
  t.type(created.response.emailTemplate!.insertInstant, 'number');

  const withoutId = await client.createEmailTemplate(null as unknown as string, { emailTemplate: { ...template, name: 'Second notice' } });
  const secondId = withoutId.response.emailTemplate!.id!;
  t.match(secondId, /^[0-9a-f-]{36}$/, 'POST without an id gets one');

  t.match((await client.retrieveEmailTemplate(TEMPLATE)).response.emailTemplate, { name: 'Account notice' });
  t.same(
    (await client.retrieveEmailTemplates()).response.emailTemplates!.map((one) => one.name),
    ['Account notice', 'Second notice'],
  );

  const { fromEmail: _fromEmail, ...withoutFromEmail } = template;
  const replaced = await client.updateEmailTemplate(secondId, { emailTemplate: { ...withoutFromEmail, name: 'Replaced notice' } });
  t.equal(replaced.response.emailTemplate!.name, 'Replaced notice');
  t.notOk('fromEmail' in replaced.response.emailTemplate!, 'PUT replaces: the from address is gone');
  const patched = await client.patchEmailTemplate(secondId, { emailTemplate: { defaultSubject: 'Patched' } });
  t.match(patched.response.emailTemplate, { name: 'Replaced notice', defaultSubject: 'Patched', defaultTextTemplate: template.defaultTextTemplate });

  const search = await client.searchEmailTemplates({ search: { name: 'replaced' } });
  t.same(
    search.response.emailTemplates!.map((one) => one.id),
    [secondId],
  );
  t.equal(search.response.total, 1);
  t.equal((await client.searchEmailTemplates({ search: { name: '*notice' } })).response.total, 2, '* is a wildcard');

  t.equal((await client.deleteEmailTemplate(secondId)).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveEmailTemplate(secondId)), 404);
  assertEmpty(t, await settle(client.deleteEmailTemplate(secondId)), 404);
});

t.test('email templates: FusionAuth field errors for what is missing, and for FreeMarker that does not parse', async (t) => {
  const blank = await settle(client.createEmailTemplate(UNKNOWN, { emailTemplate: { name: ' ' } }));
  for (const field of ['name', 'defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate'])
    assertFieldError(t, blank, `emailTemplate.${field}`, 'blank');

  const broken = await settle(
    client.createEmailTemplate(UNKNOWN, { emailTemplate: { ...template, defaultHtmlTemplate: '<p>\n[#if user.firstName??]\nno end' } }),
  );
  assertFieldError(t, broken, 'emailTemplate.defaultHtmlTemplate', 'invalidTemplate');
  t.match(broken.exception!.fieldErrors!['emailTemplate.defaultHtmlTemplate']![0]!.message, /\[#if\] is not closed.*line 2, column 1/);
  const unsupported = await settle(
    client.createEmailTemplate(UNKNOWN, { emailTemplate: { ...template, defaultTextTemplate: 'one\n[#macro greet][/#macro]' } }),
  );
  assertFieldError(t, unsupported, 'emailTemplate.defaultTextTemplate', 'invalidTemplate');
  t.match(unsupported.exception!.fieldErrors!['emailTemplate.defaultTextTemplate']![0]!.message, /\[#macro\].*line 2/);

  const duplicate = await settle(client.createEmailTemplate(TEMPLATE, { emailTemplate: template }));
  assertFieldError(t, duplicate, 'emailTemplateId', 'duplicate');
  assertEmpty(t, await settle(client.retrieveEmailTemplate(UNKNOWN)), 404);
  t.equal((await client.retrieveEmailTemplates()).response.emailTemplates!.length, 1, 'nothing half-written');
});

t.test('sendEmail delivers through the tenant SMTP server, and the outbox holds the same email with its links', async (t) => {
  standin.clearEmails();
  const sent = await client.sendEmail(TEMPLATE, { userIds: [USER], applicationId: APP, requestData: { noticeId: 'n-42', extra: '<b>bold</b>' } });
  t.equal(sent.statusCode, 202, 'queued: FusionAuth answers 202');
  t.same(sent.response.results, {}, 'no render errors');

  const { mail, envelopeTo, user } = await smtp.next();
  t.equal(user, SMTP_USER, 'Standin authenticated with the tenant credentials');
  t.same(envelopeTo, ['erlich@example.com']);
  t.same(mail.from?.value, [{ address: 'notices@standin.test', name: 'Notices for Erlich' }], 'the template from address and rendered from name');
  t.same(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined, [{ address: 'erlich@example.com', name: 'Erlich Bachman' }]);
  t.equal(mail.subject, 'Hello Erlich');
  t.equal(mail.headers.get('x-standin-test'), 'client-email', 'the tenant additionalHeaders');
  const link = `${standin.url}/notice/n-42?who=erlich%40example.com`;
  t.equal(mail.text?.trim(), `Hi Erlich, read it at ${link}`);
  t.match(mail.html, '<p>&lt;b&gt;bold&lt;/b&gt;</p>', 'the html body, escaped where the template asked');
  t.match(mail.html, `<a href="${link}">Read it</a>`);
  t.notMatch(mail.html, /\[#|\$\{/, 'no FreeMarker left');

  const [email] = standin.emails({ to: 'Erlich@Example.com' });
  t.match(email, {
    type: 'template',
    templateId: TEMPLATE,
    userId: USER,
    applicationId: APP,
    subject: 'Hello Erlich',
    from: { address: 'notices@standin.test' },
    to: { address: 'erlich@example.com' },
  });
  t.equal(email!.html, mail.html, 'the outbox html is what was delivered');
  t.same(email!.links, [link], 'links parsed out (entities decoded)');
  await standin.app.standin.email.delivery.idle();
  t.match(standin.emails({ to: 'erlich@example.com' })[0], { delivery: 'sent', attempts: 1 }, 'the outbox records the delivery');
});

t.test('sendEmail: localized subject, anonymous addresses, cc, per-recipient render errors, and FusionAuth errors', async (t) => {
  await client.sendEmail(TEMPLATE, { userIds: [USER], preferredLanguages: ['fr'], requestData: { noticeId: 'fr' } });
  t.equal((await smtp.next()).mail.subject, 'Bonjour Erlich', 'preferredLanguages pick the localized subject');

  const plain = await client.createEmailTemplate(null as unknown as string, {
    emailTemplate: { name: 'Plain', defaultSubject: 'For ${requestData.who}', defaultHtmlTemplate: '<p>x</p>', defaultTextTemplate: 'x' },
  });
  const anonymous = await client.sendEmail(plain.response.emailTemplate!.id!, {
    toAddresses: [{ address: 'guest@example.com', display: 'Guest' }],
    ccAddresses: ['cc@example.com'],
    requestData: { who: 'a guest' },
  });
  t.same(anonymous.response.anonymousResults, {});
  const message = await smtp.next();
  t.equal(message.mail.subject, 'For a guest');
  t.same(message.envelopeTo.sort(), ['cc@example.com', 'guest@example.com']);

  // The template reads requestData.noticeId, which this request leaves out: FreeMarker's missing-value error.
  const failed = await client.sendEmail(TEMPLATE, { userIds: [USER] });
  t.equal(failed.statusCode, 202);
  t.same(failed.response.results![USER]!.parseErrors, {});
  t.match(
    failed.response.results![USER]!.renderErrors,
    { defaultHtmlTemplate: /requestData is missing, so requestData.noticeId cannot be read.*line 2/ },
    'the render error names the value and the line',
  );
  t.same(
    standin.emails({ to: 'erlich@example.com' }).filter((one) => one.links.length === 0),
    [],
    'an email that did not render is not in the outbox',
  );

  assertEmpty(t, await settle(client.sendEmail(UNKNOWN, { userIds: [USER] })), 404);
  assertFieldError(t, await settle(client.sendEmail(TEMPLATE, { userIds: [UNKNOWN] })), 'userIds', 'invalid');
  assertFieldError(t, await settle(client.sendEmail(TEMPLATE, {})), 'userIds', 'blank');
  const noAddress = await client.sendEmail(TEMPLATE, { userIds: [NO_EMAIL_USER], requestData: { noticeId: 'x' } });
  t.ok(noAddress.response.results![NO_EMAIL_USER], 'a user without an email address is reported, not sent to');
});

t.test('the outbox: emails(), waitForEmail() that waits, the control API long-poll, clearEmails()', async (t) => {
  standin.clearEmails();
  t.same(standin.emails(), []);
  await t.rejects(standin.waitForEmail({ to: 'erlich@example.com', timeoutMs: 50 }), /no email to erlich@example.com arrived within 50 ms/);

  const waited = standin.waitForEmail({ to: 'erlich@example.com', type: 'template', timeoutMs: 5000 });
  const headers = { authorization: API_KEY };
  const polled = fetch(`${standin.url}/_standin/emails?to=erlich%40example.com&wait=5000`, { headers });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await client.sendEmail(TEMPLATE, { userIds: [USER], requestData: { noticeId: 'waited' } });
  const email = await waited;
  t.match(email.links, [/\/notice\/waited\?/], 'waitForEmail resolved with the email once it arrived');
  const response = await polled;
  t.equal(response.status, 200);
  const body = (await response.json()) as { emails: Array<{ id: string; links: string[] }> };
  t.same(
    body.emails.map((one) => one.id),
    [email.id],
    'the long poll answered with it',
  );

  const other = await fetch(`${standin.url}/_standin/emails?to=nobody%40example.com&wait=100`, { headers });
  t.same(await other.json(), { emails: [] }, 'a long poll that sees nothing answers empty when its wait ends');
  t.equal((await fetch(`${standin.url}/_standin/emails`)).status, 401, 'behind the control guard');
  t.equal((await fetch(`${standin.url}/_standin/emails?wait=999999`, { headers })).status, 400, 'the wait is bounded');

  const cleared = await fetch(`${standin.url}/_standin/emails`, { method: 'DELETE', headers });
  t.same(await cleared.json(), { deleted: 1 });
  t.same(standin.emails(), []);
  await smtp.next();
});

t.test('close() does not wait for a long poll to run out', async (t) => {
  const other = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { apiKeys: [{ key: API_KEY }] } });
  const polled = fetch(`${other.url}/_standin/emails?wait=20000`, { headers: { authorization: API_KEY } }).then(
    (response) => response.json(),
    () => 'closed',
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  await other.close();
  t.ok(Date.now() - started < 5000, `closed in ${Date.now() - started} ms`);
  t.same(await polled, { emails: [] }, 'the poll answered, empty');
});

t.test('a language named like an Object.prototype member finds no localized template, and no crash', async (t) => {
  for (const language of ['constructor', 'toString', '__proto__']) {
    const sent = await client.sendEmail(TEMPLATE, { userIds: [USER], preferredLanguages: [language], requestData: { noticeId: language } });
    t.equal(sent.statusCode, 202, language);
    t.equal((await smtp.next()).mail.subject, 'Hello Erlich', `${language}: the default subject`);
  }
});

// Last in this file: a second tenant makes every request without a tenant ambiguous.
t.test('a send refused for its tenant has sent nothing', async (t) => {
  await client.createTenant(null as unknown as string, { tenant: { name: 'Second tenant' } });
  standin.clearEmails();
  const refused = await settle(
    client.sendEmail(TEMPLATE, { userIds: [USER], toAddresses: [{ address: 'guest@example.com' }], requestData: { noticeId: 'x' } }),
  );
  assertGeneralError(t, refused, '[TenantIdRequired]');
  t.same(standin.emails(), [], 'nothing in the outbox, nothing queued for delivery');
});
