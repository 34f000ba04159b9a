import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's email two-factor method through @fusionauth/typescript-client (docs/two-factor.md, "The email method";
// https://fusionauth.io/docs/apis/two-factor): the tenant switch, a code emailed to enrol, a login finished with an
// emailed code, wrong, expired and reused codes, disabling, unknown ids, SMS refused, a restart and a reset.
const API_KEY = 'two-factor-email-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OFF_TENANT = 'e3000000-0000-4000-8000-0000000000f2';
const OFF_KEY = 'two-factor-email-off-key-0123456789abcdef';
const APP = 'e1000000-0000-4000-8000-000000000001';
const REQUIRED_APP = 'e1000000-0000-4000-8000-000000000002';
const USER = 'e2000000-0000-4000-8000-000000000001';
const OFF_USER = 'e2000000-0000-4000-8000-000000000002';
const NEWCOMER = 'e2000000-0000-4000-8000-000000000003';
const TEMPLATE = 'e4000000-0000-4000-8000-000000000001';
const APP_TEMPLATE = 'e4000000-0000-4000-8000-000000000002';
const LOGIN = { loginId: 'gilfoyle@example.com', password: 'password1', applicationId: APP };
const ADDRESS = 'gilfoyle.mfa@example.com';
const T0 = Date.UTC(2030, 0, 1, 0, 0, 5);

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OFF_KEY, tenantId: OFF_TENANT }],
  requests: [
    {
      url: `/api/email/template/${TEMPLATE}`,
      body: {
        emailTemplate: {
          name: 'MFA code',
          defaultSubject: 'Code ${code}',
          defaultTextTemplate: 'Your code: ${code}',
          defaultHtmlTemplate: '<p>${code}</p>',
        },
      },
    },
    {
      url: `/api/email/template/${APP_TEMPLATE}`,
      body: {
        emailTemplate: {
          name: 'App MFA code',
          defaultSubject: 'Bank code',
          defaultTextTemplate: 'Bank: ${code}',
          defaultHtmlTemplate: '<p>${code}</p>',
        },
      },
    },
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: {
        tenant: {
          emailConfiguration: { defaultFromEmail: 'noreply@standin.test' },
          externalIdentifierConfiguration: { twoFactorOneTimeCodeIdTimeToLiveInSeconds: 120 },
          multiFactorConfiguration: { email: { enabled: true, templateId: TEMPLATE } },
        },
      },
    },
    { url: `/api/tenant/${OFF_TENANT}`, body: { tenant: { name: 'No email MFA' } } },
    {
      url: `/api/application/${APP}`,
      tenantId: TENANT,
      body: { application: { name: 'Store', loginConfiguration: { generateRefreshTokens: true } } },
    },
    {
      url: `/api/application/${REQUIRED_APP}`,
      tenantId: TENANT,
      body: { application: { name: 'Bank', multiFactorConfiguration: { loginPolicy: 'Required', email: { templateId: APP_TEMPLATE } } } },
    },
    {
      url: `/api/user/registration/${USER}`,
      tenantId: TENANT,
      body: { user: { email: LOGIN.loginId, password: LOGIN.password }, registration: { applicationId: APP } },
    },
    {
      url: `/api/user/registration/${NEWCOMER}`,
      tenantId: TENANT,
      body: { user: { email: 'jian@example.com', password: 'password1' }, registration: { applicationId: REQUIRED_APP } },
    },
    { url: `/api/user/${OFF_USER}`, tenantId: OFF_TENANT, body: { user: { email: 'nelson@example.com', password: 'password1' } } },
  ],
};

const dir = temporaryFolder(t, 'standin-two-factor-email-');
const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, now: () => T0, kickstart };
let standin = await startStandin(options);
let closed = false;
t.teardown(async () => {
  if (!closed) await standin.close();
});
let client = new FusionAuthClient(API_KEY, standin.url);
let methodId = '';

/** The code in the newest two-factor email to `to`. */
async function emailedCode(t: Test, to: string): Promise<string> {
  const email = await standin.waitForEmail({ to, type: 'twoFactorCode' });
  t.match(email.code, /^\d{6}$/, "six digits, FusionAuth's default twoFactorOneTimeCodeIdGenerator");
  t.ok(email.text.includes(email.code!), 'the code is in the email');
  return email.code!;
}

/** A different code of the same shape, sure to be wrong. */
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function login(t: Test): Promise<{ twoFactorId: string; methods: Array<Record<string, unknown>> }> {
  const answer = await settle(client.login(LOGIN));
  t.equal(answer.statusCode, 242, 'the login waits for a second factor');
  return answer.response as { twoFactorId: string; methods: Array<Record<string, unknown>> };
}

t.test('a tenant without the email method refuses to send or enable it ([disabled]method); voice is [NotModelled]', async (t) => {
  const tenant = (await client.retrieveTenant(OFF_TENANT)).response.tenant!;
  t.equal(tenant.multiFactorConfiguration!.email!.enabled, false, "FusionAuth's default: off");
  const off = new FusionAuthClient(OFF_KEY, standin.url);
  assertFieldError(
    t,
    await settle(off.sendTwoFactorCodeForEnableDisable({ userId: OFF_USER, method: 'email', email: ADDRESS })),
    'method',
    'disabled',
  );
  assertFieldError(t, await settle(off.enableTwoFactor(OFF_USER, { method: 'email', email: ADDRESS, code: '123456' })), 'method', 'disabled');
  t.equal(standin.emails({ to: ADDRESS }).length, 0, 'nothing sent');
  // SMS is modelled (client-two-factor-sms.test.ts): off on this tenant, like email.
  assertFieldError(
    t,
    await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: '+15555550100' })),
    'method',
    'disabled',
  );
  const sent = await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'voice', mobilePhone: '+15555550100' }));
  assertGeneralError(t, sent, '[NotModelled]');
  t.match(JSON.stringify(sent.exception), /voice/, 'the message names the method');
  assertGeneralError(
    t,
    await settle(client.enableTwoFactor(USER, { method: 'voice', mobilePhone: '+15555550100', code: '123456' })),
    '[NotModelled]',
  );
});

t.test('a template id that is not a UUID is refused on the tenant and the application', async (t) => {
  const mfa = { multiFactorConfiguration: { email: { enabled: true, templateId: 'not-a-uuid' } } };
  assertFieldError(t, await settle(client.patchTenant(TENANT, { tenant: mfa })), 'tenant.multiFactorConfiguration.email.templateId', 'invalid');
  assertFieldError(
    t,
    await settle(client.patchApplication(APP, { application: mfa })),
    'application.multiFactorConfiguration.email.templateId',
    'invalid',
  );
});

t.test('send: field errors, 401 without a key, 404 for an unknown user or one another tenant key cannot see', async (t) => {
  assertFieldError(t, await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email' })), 'email', 'blank');
  assertFieldError(
    t,
    await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: 'not an address' })),
    'email',
    'invalid',
  );
  assertFieldError(t, await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, email: ADDRESS })), 'method', 'blank');
  assertFieldError(t, await settle(client.sendTwoFactorCodeForEnableDisable({ method: 'email', email: ADDRESS })), 'userId', 'blank');
  assertFieldError(t, await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId: 'NOPE' })), 'methodId', 'invalid');
  assertEmpty(
    t,
    await settle(client.sendTwoFactorCodeForEnableDisable({ userId: 'e2999999-0000-4000-8000-000000000009', method: 'email', email: ADDRESS })),
    404,
  );
  assertEmpty(
    t,
    await settle(new FusionAuthClient(OFF_KEY, standin.url).sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: ADDRESS })),
    404,
  );
  assertEmpty(
    t,
    await settle(new FusionAuthClient('', standin.url).sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: ADDRESS })),
    401,
  );
  const badJson = await fetch(`${standin.url}/api/two-factor/send`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{"userId": ',
  });
  t.equal(badJson.status, 400);
});

t.test('enrol: the emailed code enables the address once; ten recovery codes on the first method', async (t) => {
  standin.clearEmails();
  const sent = await client.sendTwoFactorCodeForEnableDisable({ userId: USER.toUpperCase(), method: 'email', email: ADDRESS });
  t.equal(sent.statusCode, 200);
  const email = await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' });
  t.equal(email.templateId, TEMPLATE, "the tenant's multiFactorConfiguration.email.templateId");
  t.equal(email.subject, `Code ${email.code}`);
  const code = await emailedCode(t, ADDRESS);

  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'email', email: ADDRESS, code: wrongOf(code) })), 421);
  // the code is for its address
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'email', email: 'other@example.com', code })), 421);
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'email', code })), 'email', 'blank');
  const enabled = await client.enableTwoFactor(USER, { method: 'email', email: ADDRESS, code, name: 'Work mail' });
  t.equal(enabled.statusCode, 200);
  t.equal(enabled.response.recoveryCodes!.length, 10);
  // a code enables once
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'email', email: ADDRESS, code })), 421);

  const methods = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;
  t.equal(methods.length, 1);
  t.match(methods[0], { id: /^[A-Z0-9]{4}$/, method: 'email', email: ADDRESS, name: 'Work mail' });
  t.notOk('authenticator' in methods[0]!, 'an email method has no authenticator settings');
  methodId = methods[0]!.id!;
});

t.test('login: the 242 lists the email method; send/{twoFactorId} emails a code; twoFactorLogin takes it once', async (t) => {
  const { twoFactorId, methods } = await login(t);
  t.same(methods, [{ id: methodId, method: 'email', email: ADDRESS, name: 'Work mail' }]);
  standin.clearEmails();
  const sent = await new FusionAuthClient('', standin.url).sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId });
  t.equal(sent.statusCode, 200, 'no API key needed');
  const code = await emailedCode(t, ADDRESS);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code: wrongOf(code), applicationId: APP })), 421);
  const done = await client.twoFactorLogin({ twoFactorId, code, applicationId: APP });
  t.equal(done.statusCode, 200);
  t.equal(done.response.user!.id, USER);
  t.ok(done.response.token);

  const next = await login(t);
  // a used code is refused
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: next.twoFactorId, code, applicationId: APP })), 421);
});

t.test('a new send replaces the earlier code; a code expires after twoFactorOneTimeCodeIdTimeToLiveInSeconds', async (t) => {
  t.teardown(() => {
    standin.clock.reset();
  });
  const { twoFactorId } = await login(t);
  standin.clearEmails();
  await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId });
  const first = await emailedCode(t, ADDRESS);
  standin.clearEmails();
  await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId });
  const second = await emailedCode(t, ADDRESS);
  // The earlier code no longer works (two sends may draw the same six digits, one time in a million).
  if (first !== second) assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code: first })), 421);
  standin.clock.advance(121);
  // expired after 120 s
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code: second })), 421);

  standin.clearEmails();
  await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId });
  const third = await emailedCode(t, ADDRESS);
  standin.clock.advance(119);
  t.equal((await client.twoFactorLogin({ twoFactorId, code: third })).statusCode, 200, 'alive at 119 s');
});

t.test('send for a login: an unknown twoFactorId is an empty 404, an unknown or missing methodId a field error', async (t) => {
  assertEmpty(t, await settle(client.sendTwoFactorCodeForLoginUsingMethod('no-such-two-factor-id', { methodId })), 404);
  const { twoFactorId } = await login(t);
  assertFieldError(t, await settle(client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId: 'NOPE' })), 'methodId', 'invalid');
  assertFieldError(t, await settle(client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, {})), 'methodId', 'blank');
});

t.test('step-up: startTwoFactorLogin lists the email method and an emailed code finishes it', async (t) => {
  const started = await client.startTwoFactorLogin({ userId: USER, applicationId: APP });
  t.same(started.response.methods, [{ id: methodId, method: 'email', email: ADDRESS, name: 'Work mail' }]);
  standin.clearEmails();
  await client.sendTwoFactorCodeForLoginUsingMethod(started.response.twoFactorId!, { methodId });
  const code = await emailedCode(t, ADDRESS);
  const done = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId!, code });
  t.equal(done.statusCode, 200);
  t.ok(done.response.trustToken);
});

t.test("Required: configurableMethods offers email; the application's templateId overrides the tenant's", async (t) => {
  const answer = await settle(client.login({ loginId: 'jian@example.com', password: 'password1', applicationId: REQUIRED_APP }));
  t.equal(answer.statusCode, 242);
  t.same((answer.response as { configurableMethods: string[] }).configurableMethods, ['authenticator', 'email']);
  standin.clearEmails();
  await client.sendTwoFactorCodeForEnableDisable({ userId: NEWCOMER, method: 'email', email: 'jian@example.com', applicationId: REQUIRED_APP });
  const email = await standin.waitForEmail({ to: 'jian@example.com', type: 'twoFactorCode' });
  t.equal(email.templateId, APP_TEMPLATE);
  t.equal(email.subject, 'Bank code');

  // Enrolling during the login (FusionAuth 1.42+): enableTwoFactor with the twoFactorId answers the code that finishes it.
  const { twoFactorId } = answer.response as { twoFactorId: string };
  const enabled = await client.enableTwoFactor(NEWCOMER, { method: 'email', email: 'jian@example.com', code: email.code!, twoFactorId });
  t.equal(enabled.statusCode, 200);
  t.ok(enabled.response.code, 'the code that finishes the login');
  t.equal((await client.twoFactorLogin({ twoFactorId, code: enabled.response.code!, applicationId: REQUIRED_APP })).statusCode, 200);
});

t.test("the user's JWT may ask for a code to its own user", async (t) => {
  const { twoFactorId } = await login(t);
  standin.clearEmails();
  await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId });
  const token = (await client.twoFactorLogin({ twoFactorId, code: await emailedCode(t, ADDRESS) })).response.token!;
  standin.clearEmails();
  const response = await fetch(`${standin.url}/api/two-factor/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'email', email: 'gilfoyle.home@example.com' }),
  });
  t.equal(response.status, 200);
  const email = await standin.waitForEmail({ to: 'gilfoyle.home@example.com', type: 'twoFactorCode' });
  t.equal(email.userId, USER);
});

t.test('the method survives a restart; a reset puts back the start-up state', async (t) => {
  await standin.close();
  closed = true;
  standin = await startStandin(options);
  closed = false;
  client = new FusionAuthClient(API_KEY, standin.url);
  const methods = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;
  t.match(methods, [{ id: methodId, method: 'email', email: ADDRESS }]);
  // A code sent before the restart would have survived too; a reset takes back what came after start-up.
  standin.clearEmails();
  await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: 'second@example.com' });
  await client.enableTwoFactor(USER, { method: 'email', email: 'second@example.com', code: await emailedCode(t, 'second@example.com') });
  t.equal((await client.retrieveUser(USER)).response.user!.twoFactor!.methods!.length, 2);
  standin.reset();
  t.equal((await client.retrieveUser(USER)).response.user!.twoFactor!.methods!.length, 1, 'the method enabled since start-up is gone');
});

t.test('disable: send {userId, methodId} emails a code to the method; disableTwoFactor takes it', async (t) => {
  standin.clearEmails();
  const sent = await client.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId });
  t.equal(sent.statusCode, 200);
  const code = await emailedCode(t, ADDRESS);
  assertEmpty(t, await settle(client.disableTwoFactor(USER, methodId, wrongOf(code))), 421);
  t.equal((await client.disableTwoFactor(USER, methodId, code)).statusCode, 200);
  t.same((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, []);
  t.equal((await settle(client.login(LOGIN))).statusCode, 200, 'the login asks for nothing more');
});
