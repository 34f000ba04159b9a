import { FusionAuthClient, SendSetPasswordIdentityType } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';

// sendSetPasswordEmail on a user create, through @fusionauth/typescript-client: the new user gets the tenant's (or
// the application's) set-password email over SMTP, opens /password/change/{changePasswordId}, and the password
// they choose logs them in (docs/forgot-password-and-passwordless.md, "The set-password email").
const API_KEY = 'set-password-email-api-key-0123456789ab';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a5000000-0000-4000-8000-000000000001';
const TENANT_TEMPLATE = 'a6000000-0000-4000-8000-000000000001';
const APP_TEMPLATE = 'a6000000-0000-4000-8000-000000000002';

const template = (id: string, subject: string) => ({
  url: `/api/email/template/${id}`,
  body: {
    emailTemplate: {
      name: subject,
      defaultSubject: subject,
      defaultHtmlTemplate: '<a href="${baseUrl}/password/change/${changePasswordId}">choose a password</a>',
      defaultTextTemplate: '${baseUrl}/password/change/${changePasswordId}',
    },
  },
});

const smtp = await startSmtpCatcher();
t.teardown(() => smtp.close());
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      template(TENANT_TEMPLATE, 'Tenant set-password'),
      template(APP_TEMPLATE, 'Store set-password'),
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: {
          tenant: {
            emailConfiguration: {
              host: '127.0.0.1',
              port: smtp.port,
              security: 'NONE',
              defaultFromEmail: 'noreply@standin.test',
              setPasswordEmailTemplateId: TENANT_TEMPLATE,
              verifyEmail: true,
            },
          },
        },
      },
      { url: `/api/application/${APP}`, body: { application: { name: 'Store', emailConfiguration: { setPasswordEmailTemplateId: APP_TEMPLATE } } } },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const noUserId = undefined as unknown as string;

/** The changePasswordId in the link of the next email the SMTP server receives, with its subject. */
async function nextLink(): Promise<{ subject: string | undefined; to: string[]; changePasswordId: string }> {
  const { mail, envelopeTo } = await smtp.next();
  const match = new RegExp(`${standin.url}/password/change/([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no set-password link in ${mail.text ?? ''}`);
  return { subject: mail.subject, to: envelopeTo, changePasswordId: match[1]! };
}

t.test('createUser with sendSetPasswordEmail and no password: the tenant template emailed, the chosen password logs in', async (t) => {
  standin.clearEmails();
  const created = await client.createUser(noUserId, { sendSetPasswordEmail: true, user: { email: 'Richard@Example.com', firstName: 'Richard' } });
  t.equal(created.statusCode, 200, 'no password needed');
  const user = created.response.user!;
  t.equal(user.verified, false, 'the tenant verifies email');
  t.notOk(created.response.emailVerificationId, 'only the set-password email is sent, not the verification one');

  const email = await nextLink();
  t.equal(email.subject, 'Tenant set-password');
  t.same(email.to, ['richard@example.com']);
  t.same(
    standin.emails().map((sent) => sent.type),
    ['setPassword'],
    'one email, of the set-password kind',
  );
  t.equal((await client.retrieveUserByChangePasswordId(email.changePasswordId)).response.user!.id, user.id);
  t.equal((await fetch(`${standin.url}/password/change/${email.changePasswordId}`)).status, 200, 'the link opens the change-password page');

  t.equal((await client.changePassword(email.changePasswordId, { password: 'chosen-password' })).statusCode, 200);
  const login = await client.login({ loginId: 'richard@example.com', password: 'chosen-password' });
  t.equal(login.statusCode, 200, 'the chosen password logs in');
  t.equal(login.response.user!.verified, true, 'choosing the password through the email verified it');
});

t.test("the combined create: the registration's application template, and a password given is ignored", async (t) => {
  const created = await client.register(noUserId, {
    sendSetPasswordEmail: true,
    user: { email: 'monica@example.com', password: 'ignored-password' },
    registration: { applicationId: APP },
  });
  t.equal(created.statusCode, 200);
  const email = await nextLink();
  t.equal(email.subject, 'Store set-password');
  assertEmpty(t, await settle(client.login({ loginId: 'monica@example.com', password: 'ignored-password' })), 404);
  await client.changePassword(email.changePasswordId, { password: 'monica-password' });
  t.equal((await client.login({ loginId: 'monica@example.com', password: 'monica-password', applicationId: APP })).statusCode, 200);
});

t.test("the User API's applicationId picks that application's template", async (t) => {
  await client.createUser(noUserId, { sendSetPasswordEmail: true, applicationId: APP, user: { email: 'jared@example.com' } });
  t.equal((await nextLink()).subject, 'Store set-password');
});

t.test('a user still waiting to choose a password is updated without one, by PATCH and by PUT', async (t) => {
  const { response } = await client.createUser(noUserId, { sendSetPasswordEmail: true, user: { email: 'laurie@example.com' } });
  await nextLink();
  const id = response.user!.id!;
  const patched = await client.patchUser(id, { user: { firstName: 'Laurie' } });
  t.equal(patched.response.user?.firstName, 'Laurie');
  const replaced = await client.updateUser(id, { user: { email: 'laurie@example.com', lastName: 'Bream' } });
  t.equal(replaced.response.user?.lastName, 'Bream');
  t.equal(replaced.response.user?.firstName, undefined, 'PUT replaces the user, password aside');
  assertEmpty(t, await settle(client.login({ loginId: 'laurie@example.com', password: 'any-password' })), 404);
});

t.test('without sendSetPasswordEmail a password is still required', async (t) => {
  assertFieldError(t, await settle(client.createUser(noUserId, { user: { email: 'erlich@example.com' } })), 'user.password', 'blank');
  assertFieldError(
    t,
    await settle(client.createUser(noUserId, { sendSetPasswordEmail: true, user: { username: 'no-address' } })),
    'user.password',
    'blank',
  );
});

t.test(
  'sendSetPasswordIdentityType takes "email" and "doNotSend"; "phone" is refused as not modelled, any other value as JSON FusionAuth cannot parse',
  async (t) => {
    await client.createUser(noUserId, { sendSetPasswordIdentityType: SendSetPasswordIdentityType.email, user: { email: 'carla@example.com' } });
    t.equal((await nextLink()).subject, 'Tenant set-password', '"email" sends the set-password email');
    standin.clearEmails();
    const doNotSend = { sendSetPasswordIdentityType: SendSetPasswordIdentityType.doNotSend, user: { email: 'gavin@example.com' } };
    assertFieldError(t, await settle(client.createUser(noUserId, doNotSend)), 'user.password', 'blank');
    const created = await client.createUser(noUserId, { ...doNotSend, user: { ...doNotSend.user, password: 'gavin-password' } });
    t.equal(created.statusCode, 200, '"doNotSend" creates the user with the password given');
    t.same(
      standin.emails().map((sent) => sent.type),
      ['emailVerification'],
      'no set-password email, only the verification the tenant asks for',
    );

    standin.clearEmails();
    const user = { email: 'jian.yang@example.com', mobilePhone: '+13035551212' };
    const registration = { applicationId: APP };
    const phone = SendSetPasswordIdentityType.phone;
    assertGeneralError(t, await settle(client.createUser(noUserId, { sendSetPasswordIdentityType: phone, user })), '[NotModelled]');
    assertGeneralError(t, await settle(client.register(noUserId, { sendSetPasswordIdentityType: phone, user, registration })), '[NotModelled]');
    for (const bad of ['sms', 'EMAIL', '', 42, {}]) {
      const sendSetPasswordIdentityType = bad as SendSetPasswordIdentityType;
      assertGeneralError(t, await settle(client.createUser(noUserId, { sendSetPasswordIdentityType, user })), '[invalidJSON]');
      assertGeneralError(t, await settle(client.register(noUserId, { sendSetPasswordIdentityType, user, registration })), '[invalidJSON]');
    }
    assertEmpty(t, await settle(client.retrieveUserByEmail('jian.yang@example.com')), 404);
    t.same(standin.emails(), [], 'nor sent any email');
  },
);
