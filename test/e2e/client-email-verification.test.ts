import { FusionAuthClient, UnverifiedBehavior, VerificationStrategy } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, settle, startTenantStandin } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

// Email and registration verification through @fusionauth/typescript-client, following the links and codes
// from Standin's outbox (GET /_standin/emails) with no mail server (docs/email-verification.md).
const API_KEY = 'client-verify-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a1000000-0000-4000-8000-000000000001';
const VERIFYING_APP = 'a1000000-0000-4000-8000-000000000002';

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: { tenant: { emailConfiguration: { verifyEmail: true, verifyEmailWhenChanged: true } } },
    },
    {
      url: `/api/application/${APP}`,
      body: { application: { name: 'Plain', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } } },
    },
    { url: `/api/application/${VERIFYING_APP}`, body: { application: { name: 'Verifying', verifyRegistration: true } } },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const anonymous = new FusionAuthClient('', standin.url);

/** The newest email to `to`, read the way a test outside the process would: the control API. */
async function outbox(to: string): Promise<any[]> {
  const response = await fetch(`${standin.url}/_standin/emails?to=${encodeURIComponent(to)}`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as { emails: any[] }).emails;
}

let n = 0;
async function newUser(extra: Record<string, unknown> = {}) {
  const email = `dinesh${++n}@example.com`;
  const created = await client.createUser(undefined as unknown as string, { user: { email, password: 'password1', firstName: 'Dinesh' }, ...extra });
  return { email, created };
}

t.test("createUser in a tenant that verifies email: unverified, emailed, verified by the link's id once", async (t) => {
  const { email, created } = await newUser({ applicationId: APP });
  t.equal(created.statusCode, 200);
  t.equal(created.response.user!.verified, false, 'user.verified is false');
  t.notOk(created.response.user!.verifiedInstant, 'no verifiedInstant yet');
  t.type(created.response.emailVerificationId, 'string', 'the create response carries emailVerificationId');

  const [mail] = await outbox(email);
  t.match(mail, { type: 'emailVerification', verificationId: created.response.emailVerificationId, applicationId: APP });
  const link = (mail.links as string[]).find((one) => one.includes('/email/verify/'));
  t.ok(link, 'the email links to /email/verify/{verificationId}');
  t.equal(new URL(link!).pathname, `/email/verify/${mail.verificationId}`);
  t.equal(new URL(link!).searchParams.get('tenantId'), TENANT);

  const verified = await settle(anonymous.verifyEmailAddress({ verificationId: mail.verificationId }));
  t.equal(verified.statusCode, 200, 'verifyEmailAddress: 200');
  const user = (await client.retrieveUser(created.response.user!.id!)).response.user!;
  t.equal(user.verified, true, 'now verified');
  t.type(user.verifiedInstant, 'number', 'verifiedInstant set');
  assertEmpty(t, await settle(anonymous.verifyEmailAddress({ verificationId: mail.verificationId })), 404);
});

t.test('skipVerification: verified at once, no email', async (t) => {
  const { email, created } = await newUser({ skipVerification: true });
  t.equal(created.response.user!.verified, true);
  t.notOk(created.response.emailVerificationId);
  t.same(await outbox(email), [], 'nothing sent');
});

t.test('resendEmailVerification: a new id replaces the old; errors and statuses', async (t) => {
  const { email, created } = await newUser();
  const first = created.response.emailVerificationId!;
  const resent = await client.resendEmailVerification(email);
  t.equal(resent.statusCode, 200);
  t.type(resent.response.verificationId, 'string', 'with an API key the id comes back');
  t.type(resent.response.oneTimeCode, 'string');
  t.equal(resent.response.oneTimeCode!.length, 6, 'six-character code (emailVerificationOneTimeCodeGenerator default)');
  t.equal((await outbox(email))[0].verificationId, resent.response.verificationId, 'and it was emailed');
  assertEmpty(t, await settle(anonymous.verifyEmailAddress({ verificationId: first })), 404);

  const unauthenticated = await settle(anonymous.resendEmailVerification(email));
  t.equal(unauthenticated.statusCode, 200, 'without an API key: 200');
  t.notOk(unauthenticated.response, 'and no body (the id only goes by email)');

  const silent = await fetch(`${standin.url}/api/user/verify-email?email=${encodeURIComponent(email)}&sendVerifyEmail=false`, {
    method: 'PUT',
    headers: { authorization: API_KEY },
  });
  const { verificationId } = (await silent.json()) as { verificationId: string };
  t.not((await outbox(email))[0].verificationId, verificationId, 'sendVerifyEmail=false sends nothing');

  const byApp = await client.resendEmailVerificationWithApplicationTemplate(APP, email);
  t.equal((await outbox(email))[0].applicationId, APP, 'applicationId picks the application (and its template)');
  t.equal((await settle(anonymous.verifyEmailAddress({ verificationId: byApp.response.verificationId! }))).statusCode, 200);

  assertEmpty(t, await settle(client.resendEmailVerification('nobody@example.com')), 404);
  assertFieldError(t, await settle(client.resendEmailVerification('')), 'email', 'blank');
  assertFieldError(t, await settle(anonymous.verifyEmailAddress({})), 'verificationId', 'blank');
  assertEmpty(t, await settle(anonymous.verifyEmailAddress({ verificationId: 'not-a-real-id' })), 404);
});

t.test("a verification id expires on Standin's clock (24 hours by default)", async (t) => {
  const { email } = await newUser();
  const [mail] = await outbox(email);
  const move = (advanceSeconds: number) =>
    fetch(`${standin.url}/_standin/clock`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds }),
    });
  t.teardown(() => fetch(`${standin.url}/_standin/clock`, { method: 'DELETE', headers: { authorization: API_KEY } }));
  await move(86_401);
  assertEmpty(t, await settle(anonymous.verifyEmailAddress({ verificationId: mail.verificationId })), 404);
});

t.test('verifyEmailAddressByUserId: an API key verifies administratively; the deprecated path form still works', async (t) => {
  const { created } = await newUser();
  assertEmpty(t, await settle(anonymous.verifyEmailAddressByUserId({ userId: created.response.user!.id! })), 401);
  t.equal((await client.verifyEmailAddressByUserId({ userId: created.response.user!.id! })).statusCode, 200);
  t.equal((await client.retrieveUser(created.response.user!.id!)).response.user!.verified, true);
  assertEmpty(t, await settle(client.verifyEmailAddressByUserId({ userId: 'a9999999-0000-4000-8000-000000000009' })), 404);

  const other = await newUser();
  t.equal((await anonymous.verifyEmail(other.created.response.emailVerificationId!)).statusCode, 200, 'POST /api/user/verify-email/{verificationId}');
});

t.test('an email change under verifyEmailWhenChanged: unverified again, new email to the new address', async (t) => {
  const { created } = await newUser({ skipVerification: true });
  const id = created.response.user!.id!;
  const changed = await client.patchUser(id, { user: { email: 'changed-address@example.com' } });
  t.equal(changed.response.user!.verified, false);
  const [mail] = await outbox('changed-address@example.com');
  t.equal(mail.type, 'emailVerification');
  t.equal((await anonymous.verifyEmailAddress({ verificationId: mail.verificationId })).statusCode, 200);
  const again = await client.patchUser(id, { user: { firstName: 'Bertram', verified: false } });
  t.equal(again.response.user!.verified, true, "verified is not the caller's to set; other changes keep it");
});

t.test('the Login API: 212 for an unverified user; under Gated no token', async (t) => {
  const { email } = await newUser();
  const allowed = await client.login({ loginId: email, password: 'password1', applicationId: APP });
  t.equal(allowed.statusCode, 212, 'Allow: 212');
  t.type(allowed.response.token, 'string', 'Allow: still a token');
  const idToken = allowed.response.token!;
  t.equal(JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()).email_verified, false, 'email_verified follows user.verified');

  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { unverified: { behavior: UnverifiedBehavior.Gated } } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { unverified: { behavior: UnverifiedBehavior.Allow } } } }));
  const gated = await client.login({ loginId: email, password: 'password1', applicationId: APP });
  t.equal(gated.statusCode, 212, 'Gated: 212');
  t.notOk(gated.response.token, 'Gated: no token');
  t.equal(gated.response.user!.email, email, 'with the user');

  const [mail] = await outbox(email);
  await anonymous.verifyEmailAddress({ verificationId: mail.verificationId });
  const after = await client.login({ loginId: email, password: 'password1', applicationId: APP });
  t.equal(after.statusCode, 202, 'verified: the usual answer (202: not registered to APP)');
  t.type(after.response.token, 'string');
});

t.test('FormField strategy: the code, with the id or the userId', async (t) => {
  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.FormField } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.ClickableLink } } }));
  const { email, created } = await newUser();
  const [mail] = await outbox(email);
  t.type(mail.verificationOneTimeCode, 'string', 'the email carries the code');
  t.equal(created.response.emailVerificationOneTimeCode, mail.verificationOneTimeCode);
  assertFieldError(t, await settle(anonymous.verifyEmailAddress({ verificationId: mail.verificationId })), 'oneTimeCode', 'blank');
  assertEmpty(t, await settle(anonymous.verifyEmailAddress({ verificationId: mail.verificationId, oneTimeCode: 'WRONG1' })), 404);
  const userId = created.response.user!.id!;
  t.equal((await anonymous.verifyEmailAddress({ userId, oneTimeCode: mail.verificationOneTimeCode })).statusCode, 200, '{oneTimeCode, userId}');
  t.equal((await client.retrieveUser(userId)).response.user!.verified, true);
});

t.test('registration verification: verifyRegistration on the application', async (t) => {
  const email = 'gavin@example.com';
  const created = await client.register(undefined as unknown as string, {
    user: { email, password: 'password1' },
    registration: { applicationId: VERIFYING_APP },
    skipVerification: true,
  });
  t.equal(created.response.registration!.verified, false, 'registration.verified is false');
  t.type((created.response as any).registrationVerificationId, 'string');
  const [mail] = await outbox(email);
  t.equal(mail.type, 'registrationVerification');
  t.match(mail.links.join(' '), /\/registration\/verify\//);

  const resent = await client.resendRegistrationVerification(email, VERIFYING_APP);
  t.equal(resent.statusCode, 200);
  t.type(resent.response.verificationId, 'string');
  assertEmpty(t, await settle(anonymous.verifyUserRegistration({ verificationId: mail.verificationId })), 404);
  t.equal((await anonymous.verifyUserRegistration({ verificationId: resent.response.verificationId! })).statusCode, 200);
  const registration = (await client.retrieveRegistration(created.response.user!.id!, VERIFYING_APP)).response.registration!;
  t.equal(registration.verified, true);
  t.type(registration.verifiedInstant, 'number');
  assertEmpty(t, await settle(client.resendRegistrationVerification(email, APP)), 404);
  assertFieldError(t, await settle(anonymous.verifyUserRegistration({})), 'verificationId', 'blank');
});

t.test("the registration link's page: a button that POSTs the id with a CSRF token, then /registration/complete", async (t) => {
  const email = 'monica@example.com';
  await client.register(undefined as unknown as string, {
    user: { email, password: 'password1' },
    registration: { applicationId: VERIFYING_APP },
    skipVerification: true,
  });
  const [mail] = await outbox(email);
  const link = (mail.links as string[]).find((one) => one.includes('/registration/verify/'))!;
  const page = await fetch(link);
  t.equal(page.status, 200);
  const html = await page.text();
  t.match(html, /Verify my registration/);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const fields = new URLSearchParams(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      m[2]!.replace(/&#34;|&quot;/g, '"').replace(/&amp;/g, '&'),
    ]),
  );
  t.equal(fields.get('verificationId'), mail.verificationId, 'the id is a hidden field of the form');

  const forged = await fetch(`${standin.url}/registration/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
  });
  t.equal(forged.status, 403, 'without the CSRF cookie: refused');
  const posted = await fetch(`${standin.url}/registration/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: fields,
  });
  t.equal(posted.status, 302);
  t.match(posted.headers.get('location'), /^\/registration\/complete/);
  const user = (await client.retrieveUserByEmail(email)).response.user!;
  t.equal(user.registrations!.find((one) => one.applicationId === VERIFYING_APP)!.verified, true, 'the registration is verified');
  const done = await fetch(`${standin.url}${posted.headers.get('location')}`);
  t.match(await done.text(), /Thank you. Your registration has been verified./);
});

t.test('Gated: an SSO session does not get an unverified user past the gate; prompt=none gets interaction_required', async (t) => {
  const { email, created } = await newUser({ skipVerification: true });
  await client.register(created.response.user!.id!, { registration: { applicationId: APP } });
  const browser = createHttpBrowser();
  const query = new URLSearchParams({
    client_id: APP,
    redirect_uri: 'http://localhost:3000/callback',
    response_type: 'code',
    scope: 'openid',
    state: 's',
  });
  const first = await browser.authorize(`${standin.url}/oauth2/authorize?${query}`, { loginId: email, password: 'password1' });
  t.match(first.location, /code=/, 'verified: logged in, with an SSO session');

  await client.patchUser(created.response.user!.id!, { user: { email: `moved-${email}` } });
  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { unverified: { behavior: UnverifiedBehavior.Gated } } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { emailConfiguration: { unverified: { behavior: UnverifiedBehavior.Allow } } } }));
  const gated = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  t.equal(gated.status, 200, 'the session finds the gate, not a code');
  t.match(await gated.text(), /You must verify your email address before you continue/);
  query.set('prompt', 'none');
  const silent = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  const location = new URL(silent.headers.get('location')!);
  t.equal(location.searchParams.get('error'), 'interaction_required');
  t.equal(location.searchParams.get('error_reason'), 'email_verification_required');
});
