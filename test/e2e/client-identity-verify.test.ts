import { FusionAuthClient, VerificationStrategy } from '@fusionauth/typescript-client';
import { join } from 'node:path';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, GILFOYLE_ID, settle, startTenantStandin } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// FusionAuth's Identity Verify API (start, send, complete, verify) for email identities, through
// @fusionauth/typescript-client, reading the emails from Standin's outbox (docs/email-verification.md).
const API_KEY = 'identity-verify-api-key-0123456789abcdef';
const TENANT = 'c7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c1000000-0000-4000-8000-000000000001';

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { emailConfiguration: { verifyEmail: true } } } },
    { url: `/api/application/${APP}`, body: { application: { name: 'Pied Piper' } } },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const anonymous = new FusionAuthClient('', standin.url);

async function outbox(to: string): Promise<any[]> {
  const response = await fetch(`${standin.url}/_standin/emails?to=${encodeURIComponent(to)}`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as { emails: any[] }).emails;
}

async function moveClock(advanceSeconds: number): Promise<void> {
  await fetch(`${standin.url}/_standin/clock`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds }),
  });
}

let n = 0;
/** A new user of the tenant, unverified (the tenant verifies email; its create sends the first verification email). */
async function newUser(): Promise<{ email: string; userId: string }> {
  const email = `richard${++n}@example.com`;
  const created = await client.createUser(undefined as unknown as string, { user: { email, password: 'password1' } });
  return { email, userId: created.response.user!.id! };
}

async function verified(userId: string): Promise<boolean> {
  return (await client.retrieveUser(userId)).response.user!.verified === true;
}

t.test('start and complete under FormField: the code comes back, the complete verifies and answers the state', async (t) => {
  const { email, userId } = await newUser();
  t.equal(await verified(userId), false, 'the user starts unverified');
  const emailsBefore = (await outbox(email)).length;

  const started = await client.startVerifyIdentity({
    loginId: email,
    loginIdType: 'email',
    verificationStrategy: VerificationStrategy.FormField,
    state: { returnTo: '/cart' },
  });
  t.equal(started.statusCode, 200);
  t.type(started.response.verificationId!, 'string');
  t.match(started.response.oneTimeCode!, /^[A-Z0-9]{6}$/, 'FormField: a six-character code');
  t.equal((await outbox(email)).length, emailsBefore, 'the start sends nothing');

  assertFieldError(t, await settle(client.completeVerifyIdentity({ verificationId: started.response.verificationId! })), 'oneTimeCode', 'blank');
  assertEmpty(t, await settle(client.completeVerifyIdentity({ verificationId: started.response.verificationId!, oneTimeCode: 'WRONG1' })), 404);
  t.equal(await verified(userId), false, 'a wrong code verifies nothing');

  const completed = await client.completeVerifyIdentity({
    verificationId: started.response.verificationId!,
    oneTimeCode: started.response.oneTimeCode!,
  });
  t.equal(completed.statusCode, 200);
  t.same(completed.response, { state: { returnTo: '/cart' } }, 'the start’s state comes back');
  t.equal(await verified(userId), true, 'the user is verified');
  const identity = (await client.retrieveUser(userId)).response.user!.identities!.find((one) => (one.type as unknown) === 'email');
  t.equal(identity?.verifiedReason, 'Completed', 'and so is its email identity');

  const reused = await settle(
    client.completeVerifyIdentity({ verificationId: started.response.verificationId!, oneTimeCode: started.response.oneTimeCode! }),
  );
  assertEmpty(t, reused, 404);
});

t.test('start, send and complete under ClickableLink: the email carries the link, the id alone verifies', async (t) => {
  const { email, userId } = await newUser();
  const started = await client.startVerifyIdentity({ loginId: email, loginIdType: 'email', applicationId: APP });
  t.equal(started.statusCode, 200);
  t.notOk(started.response.oneTimeCode!, 'ClickableLink (the tenant’s default): no code in the answer');

  const sent = await client.sendVerifyIdentity({ verificationId: started.response.verificationId! });
  t.equal(sent.statusCode, 200);
  const [mail] = await outbox(email);
  t.match(mail, { type: 'emailVerification', verificationId: started.response.verificationId!, applicationId: APP });
  t.notOk(mail.verificationOneTimeCode, 'a link, not a code');
  t.ok(
    (mail.links as string[]).some((link) => new URL(link).pathname === `/email/verify/${started.response.verificationId!}`),
    'the email links to /email/verify/{verificationId}',
  );

  const completed = await client.completeVerifyIdentity({ verificationId: mail.verificationId });
  t.equal(completed.statusCode, 200);
  t.same(completed.response, {}, 'no state was given');
  t.equal(await verified(userId), true);
  assertEmpty(t, await settle(client.sendVerifyIdentity({ verificationId: mail.verificationId })), 404);
});

t.test('send under FormField emails the code the start answered; the deprecated Verify Email API completes it too', async (t) => {
  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.FormField } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.ClickableLink } } }));
  const { email, userId } = await newUser();
  const started = await client.startVerifyIdentity({ loginId: email, loginIdType: 'email' });
  t.match(started.response.oneTimeCode!, /^[A-Z0-9]{6}$/, 'the tenant’s FormField strategy: the code comes back');
  await client.sendVerifyIdentity({ verificationId: started.response.verificationId! });
  const [mail] = await outbox(email);
  t.equal(mail.verificationOneTimeCode, started.response.oneTimeCode!, 'the email carries the same code');
  const result = await anonymous.verifyEmailAddress({ verificationId: mail.verificationId, oneTimeCode: mail.verificationOneTimeCode });
  t.equal(result.statusCode, 200);
  t.equal(await verified(userId), true);
});

t.test("ids expire on Standin's clock; a new start replaces the last", async (t) => {
  const { email, userId } = await newUser();
  const first = await client.startVerifyIdentity({ loginId: email, loginIdType: 'email' });
  const second = await client.startVerifyIdentity({ loginId: email, loginIdType: 'email' });
  assertEmpty(t, await settle(client.completeVerifyIdentity({ verificationId: first.response.verificationId! })), 404);
  t.teardown(() => fetch(`${standin.url}/_standin/clock`, { method: 'DELETE', headers: { authorization: API_KEY } }));
  await moveClock(86_401);
  assertEmpty(t, await settle(client.sendVerifyIdentity({ verificationId: second.response.verificationId! })), 404);
  assertEmpty(t, await settle(client.completeVerifyIdentity({ verificationId: second.response.verificationId! })), 404);
  t.equal(await verified(userId), false, 'an expired id verifies nothing');
});

t.test('verifyIdentity marks the email identity verified administratively', async (t) => {
  const { email, userId } = await newUser();
  const result = await client.verifyIdentity({ loginId: email, loginIdType: 'email' });
  t.equal(result.statusCode, 200);
  t.equal(await verified(userId), true);
  assertEmpty(t, await settle(client.verifyIdentity({ loginId: 'nobody@example.com', loginIdType: 'email' })), 404);
});

t.test('errors: blanks, unknown users and ids, phone numbers, enums, no API key', async (t) => {
  const { email } = await newUser();
  assertFieldError(t, await settle(client.startVerifyIdentity({ loginIdType: 'email' })), 'loginId', 'blank');
  assertFieldError(t, await settle(client.startVerifyIdentity({ loginId: email })), 'loginIdType', 'blank');
  assertFieldError(t, await settle(client.startVerifyIdentity({ loginId: email, loginIdType: 'username' })), 'loginIdType', 'invalid');
  assertFieldError(
    t,
    await settle(client.startVerifyIdentity({ loginId: email, loginIdType: 'email', applicationId: 'c1000000-0000-4000-8000-00000000dead' })),
    'applicationId',
    'invalid',
  );
  assertEmpty(t, await settle(client.startVerifyIdentity({ loginId: 'nobody@example.com', loginIdType: 'email' })), 404);
  assertGeneralError(t, await settle(client.startVerifyIdentity({ loginId: '+14155550100', loginIdType: 'phoneNumber' })), '[NotModelled]');
  assertGeneralError(t, await settle(client.verifyIdentity({ loginId: '+14155550100', loginIdType: 'phoneNumber' })), '[NotModelled]');
  assertGeneralError(
    t,
    await settle(client.startVerifyIdentity({ loginId: email, loginIdType: 'email', existingUserStrategy: 'mustNotExist' as never })),
    '[NotModelled]',
  );
  assertGeneralError(
    t,
    await settle(client.startVerifyIdentity({ loginId: email, loginIdType: 'email', verificationStrategy: 'Carrier' as never })),
    '[invalidJSON]',
  );

  assertFieldError(t, await settle(client.sendVerifyIdentity({})), 'verificationId', 'blank');
  assertFieldError(t, await settle(client.completeVerifyIdentity({})), 'verificationId', 'blank');
  assertFieldError(t, await settle(client.verifyIdentity({ loginIdType: 'email' })), 'loginId', 'blank');
  assertEmpty(t, await settle(client.sendVerifyIdentity({ verificationId: 'not-a-real-id' })), 404);
  assertEmpty(t, await settle(client.completeVerifyIdentity({ verificationId: 'not-a-real-id', oneTimeCode: 'ABC123' })), 404);

  assertEmpty(t, await settle(anonymous.startVerifyIdentity({ loginId: email, loginIdType: 'email' })), 401);
  assertEmpty(t, await settle(anonymous.completeVerifyIdentity({ verificationId: 'x' })), 401);
  assertEmpty(t, await settle(anonymous.sendVerifyIdentity({ verificationId: 'x' })), 401);
  assertEmpty(t, await settle(anonymous.verifyIdentity({ loginId: email, loginIdType: 'email' })), 401);

  const badJson = await fetch(`${standin.url}/api/identity/verify/start`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{"loginId": ',
  });
  t.equal(badJson.status, 400, 'bad JSON: 400, never 500');
  const wrongTypes = await fetch(`${standin.url}/api/identity/verify/complete`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ verificationId: { nested: true } }),
  });
  t.equal(wrongTypes.status, 400, 'an object for an id: 400');
});

t.test('a key bound to one tenant neither starts, sends, completes nor verifies for another tenant', async (t) => {
  const globalKey = 'identity-verify-global-0123456789abcdef';
  const boundKey = 'identity-verify-bound-0123456789abcdefg';
  const tenantA = 'c4000000-0000-4000-8000-00000000000a';
  const tenantB = 'c4000000-0000-4000-8000-00000000000b';
  const appB = 'c4000000-0000-4000-8000-0000000000b1';
  const userB = 'c4000000-0000-4000-8000-0000000000e1';
  const emailB = 'monica@example.com';
  const scoped = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: globalKey }, { key: boundKey, tenantId: tenantA }],
      requests: [
        { url: `/api/tenant/${tenantA}`, body: { tenant: { name: 'A' } } },
        { url: `/api/tenant/${tenantB}`, body: { tenant: { name: 'B', emailConfiguration: { verifyEmail: true } } } },
        { url: `/api/application/${appB}`, tenantId: tenantB, body: { application: { name: 'Hooli' } } },
        { url: `/api/user/${userB}`, tenantId: tenantB, body: { user: { email: emailB, password: 'password1' } } },
      ],
    },
  });
  t.teardown(() => scoped.close());
  const bound = new FusionAuthClient(boundKey, scoped.url);
  const global = new FusionAuthClient(globalKey, scoped.url, tenantB);

  assertEmpty(t, await settle(bound.startVerifyIdentity({ loginId: emailB, loginIdType: 'email' })), 404);
  assertFieldError(
    t,
    await settle(bound.startVerifyIdentity({ loginId: emailB, loginIdType: 'email', applicationId: appB })),
    'applicationId',
    'invalid',
  );
  assertEmpty(t, await settle(bound.verifyIdentity({ loginId: emailB, loginIdType: 'email' })), 404);

  const started = await global.startVerifyIdentity({ loginId: emailB, loginIdType: 'email' });
  t.equal(started.statusCode, 200, 'a key of every tenant, naming tenant B, may');
  assertEmpty(t, await settle(bound.sendVerifyIdentity({ verificationId: started.response.verificationId! })), 404);
  assertEmpty(t, await settle(bound.completeVerifyIdentity({ verificationId: started.response.verificationId! })), 404);
  t.equal((await global.retrieveUser(userB)).response.user!.verified, false, 'still unverified');
  t.equal((await global.completeVerifyIdentity({ verificationId: started.response.verificationId! })).statusCode, 200);
  t.equal((await global.retrieveUser(userB)).response.user!.verified, true);
});

t.test('a started verification, its strategy and state survive a restart; a reset takes it back', async (t) => {
  const folder = temporaryFolder(t, 'standin-identity-verify-');
  const key = 'identity-verify-restart-0123456789abcdef';
  const start = () =>
    startStandin({
      db: join(folder, 'standin.db'),
      passwordHashing: 'fast',
      logLevel: 'silent',
      kickstart: {
        apiKeys: [{ key }],
        requests: [{ url: '/api/user', body: { user: { email: 'jared@example.com', password: 'password1' } } }],
      },
    });
  const first = await start();
  const firstClient = new FusionAuthClient(key, first.url);
  const beforeReset = await firstClient.startVerifyIdentity({ loginId: 'jared@example.com', loginIdType: 'email' });
  first.reset();
  assertEmpty(t, await settle(firstClient.completeVerifyIdentity({ verificationId: beforeReset.response.verificationId! })), 404);
  const started = await firstClient.startVerifyIdentity({
    loginId: 'jared@example.com',
    loginIdType: 'email',
    verificationStrategy: VerificationStrategy.FormField,
    state: { step: 2 },
  });
  await first.close();

  const second = await start();
  t.teardown(() => second.close());
  const client = new FusionAuthClient(key, second.url);
  assertFieldError(t, await settle(client.completeVerifyIdentity({ verificationId: started.response.verificationId! })), 'oneTimeCode', 'blank');
  const completed = await client.completeVerifyIdentity({
    verificationId: started.response.verificationId!,
    oneTimeCode: started.response.oneTimeCode!,
  });
  t.same(completed.response, { state: { step: 2 } });
  const user = (await client.retrieveUserByEmail('jared@example.com')).response.user!;
  t.equal(user.verified, true);
});

t.test('a completed identity verification sends user.email.verified, as the Verify Email API does', async (t) => {
  const { client: hooked, receiver } = await startWebhookStandin(t, ['user.email.verified']);
  const email = (await hooked.retrieveUser(GILFOYLE_ID)).response.user!.email!;
  const started = await hooked.startVerifyIdentity({ loginId: email, loginIdType: 'email' });
  await hooked.completeVerifyIdentity({ verificationId: started.response.verificationId! });
  t.match((await receiver.waitFor('user.email.verified')).event.user, { id: GILFOYLE_ID, verified: true });
});

t.test("a kickstart's Identity Verify requests are replayed; a key's endpoint permissions bound it", async (t) => {
  const key = 'identity-verify-kickstart-0123456789abcd';
  const startOnly = 'identity-verify-start-only-0123456789ab';
  const tenant = 'c5000000-0000-4000-8000-00000000000a';
  const kicked = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key }, { key: startOnly, permissions: { endpoints: { '/api/identity/verify/start': ['POST'] } } }],
      requests: [
        { url: `/api/tenant/${tenant}`, body: { tenant: { name: 'Verifying', emailConfiguration: { verifyEmail: true } } } },
        { url: '/api/user', tenantId: tenant, body: { user: { email: 'erlich@example.com', password: 'password1' } } },
        { url: '/api/user', tenantId: tenant, body: { user: { email: 'jian@example.com', password: 'password1' } } },
        { url: '/api/identity/verify', tenantId: tenant, body: { loginId: 'erlich@example.com', loginIdType: 'email' } },
      ],
    },
  });
  t.teardown(() => kicked.close());
  const client = new FusionAuthClient(key, kicked.url, tenant);
  t.equal((await client.retrieveUserByEmail('erlich@example.com')).response.user!.verified, true, 'verified by the kickstart');
  t.equal((await client.retrieveUserByEmail('jian@example.com')).response.user!.verified, false);

  const limited = new FusionAuthClient(startOnly, kicked.url, tenant);
  const started = await limited.startVerifyIdentity({ loginId: 'jian@example.com', loginIdType: 'email' });
  t.equal(started.statusCode, 200, 'the key may start');
  assertEmpty(t, await settle(limited.completeVerifyIdentity({ verificationId: started.response.verificationId! })), 401);
  assertEmpty(t, await settle(limited.verifyIdentity({ loginId: 'jian@example.com', loginIdType: 'email' })), 401);
  t.equal((await client.retrieveUserByEmail('jian@example.com')).response.user!.verified, false, 'still unverified');
});

t.test("the start's strategy, not the tenant's, decides whether the emailed link verifies alone", async (t) => {
  const formField = await newUser();
  const startedFormField = await client.startVerifyIdentity({
    loginId: formField.email,
    loginIdType: 'email',
    verificationStrategy: VerificationStrategy.FormField,
  });
  const page = await fetch(`${standin.url}/email/verify/${startedFormField.response.verificationId!}?postMethod=false`, { redirect: 'manual' });
  t.equal(page.status, 200, 'FormField: the link shows the page and does not verify');
  t.equal(await verified(formField.userId), false);

  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.FormField } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.ClickableLink } } }));
  const link = await newUser();
  const startedLink = await client.startVerifyIdentity({
    loginId: link.email,
    loginIdType: 'email',
    verificationStrategy: VerificationStrategy.ClickableLink,
  });
  t.notOk(startedLink.response.oneTimeCode, 'ClickableLink asked for: no code, though the tenant says FormField');
  const followed = await fetch(`${standin.url}/email/verify/${startedLink.response.verificationId!}?postMethod=false`, { redirect: 'manual' });
  t.equal(followed.status, 302, 'ClickableLink: the link verifies');
  t.equal(await verified(link.userId), true);
});
