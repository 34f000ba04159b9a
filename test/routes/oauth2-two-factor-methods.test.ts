import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { apiHeaders, buildEmptyApp, hiddenFields, testKickstart } from '../helpers/fixtures.js';
import { control } from '../helpers/control.js';
import { authenticatorCode } from '../helpers/totp.js';

// The hosted method chooser and the code page's resend, at the route level (docs/two-factor.md, "The hosted login
// page"): which page the password leads to, and every bad input answered with a page, never a 500.
const APP = 'd7000000-0000-4000-8000-000000000001';
const USER = 'd7000000-0000-4000-8000-0000000000e1';
const ADDRESS = 'erlich.mfa@example.com';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CALLBACK = 'http://localhost:3000/callback';
const params = { client_id: APP, redirect_uri: CALLBACK, scope: 'openid', state: '<b>x</b>' };

async function setUp(t: Test, methods: ReadonlyArray<'authenticator' | 'email'> = ['authenticator', 'email']): Promise<StandinApp> {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      {
        method: 'PATCH',
        url: '/api/tenant/#{defaultTenantId}',
        body: {
          tenant: { emailConfiguration: { defaultFromEmail: 'noreply@standin.test' }, multiFactorConfiguration: { email: { enabled: true } } },
        },
      },
      { url: `/api/application/${APP}`, body: { application: { name: 'Aviato', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'erlich@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ]),
  });
  if (methods.includes('authenticator')) {
    const code = authenticatorCode(SECRET, app.standin.config.now());
    const enabled = await app.inject({
      method: 'POST',
      url: `/api/user/two-factor/${USER}`,
      headers: apiHeaders(),
      payload: { method: 'authenticator', code, secretBase32Encoded: SECRET },
    });
    if (enabled.statusCode !== 200) throw new Error(`enable: ${enabled.statusCode} ${enabled.body}`);
  }
  if (!methods.includes('email')) return app;
  await app.inject({
    method: 'POST',
    url: '/api/two-factor/send',
    headers: apiHeaders(),
    payload: { userId: USER, method: 'email', email: ADDRESS },
  });
  const enrol = await lastCode(app);
  const email = await app.inject({
    method: 'POST',
    url: `/api/user/two-factor/${USER}`,
    headers: apiHeaders(),
    payload: { method: 'email', email: ADDRESS, code: enrol },
  });
  if (email.statusCode !== 200) throw new Error(`enable email: ${email.statusCode} ${email.body}`);
  return app;
}

async function codeEmails(app: StandinApp): Promise<Array<{ code: string }>> {
  return (await control(app, 'GET', `/_standin/emails?type=twoFactorCode&to=${encodeURIComponent(ADDRESS)}`)).json().emails;
}

async function lastCode(app: StandinApp): Promise<string> {
  return (await codeEmails(app))[0]!.code;
}

/** The password through the hosted form; the page it leads to and a poster of that page's form (CSRF cookie kept). */
async function toSecondStep(app: StandinApp) {
  const page = await app.inject(`/oauth2/authorize?${new URLSearchParams({ response_type: 'code', ...params })}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  const login = await loginThroughFormWithCookie(app, page.body, csrf);
  const post = (url: string, fields: Record<string, string>, cookies: Record<string, string> = { 'standin.csrf': csrf }) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies,
      payload: new URLSearchParams(fields).toString(),
    });
  return { login, fields: hiddenFields(login.body), post };
}

async function loginThroughFormWithCookie(app: StandinApp, form: string, csrf: string) {
  return app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { 'standin.csrf': csrf },
    payload: new URLSearchParams({ ...hiddenFields(form), loginId: 'erlich@example.com', password: 'password1' }).toString(),
  });
}

t.test('a user with an authenticator and an email method is shown the chooser first, and nothing is sent', async (t) => {
  const app = await setUp(t);
  const before = (await codeEmails(app)).length;
  const { login, fields } = await toSecondStep(app);
  t.equal(login.statusCode, 200);
  t.match(login.body, 'action="/oauth2/two-factor-methods"', 'the chooser');
  t.match(login.body, /name="methodId" value="[A-Z0-9]{4}" checked/);
  t.equal([...login.body.matchAll(/type="radio" name="methodId"/g)].length, 2, 'one choice per method');
  t.match(login.body, ADDRESS);
  t.notMatch(login.body, '<b>x</b>', 'the state is escaped');
  t.ok(fields.twoFactorId && fields.csrf_token);
  t.notOk('methodId' in fields, 'the chooser has no hidden methodId');
  t.equal((await codeEmails(app)).length, before, 'no code emailed before a method is chosen');
});

t.test('one method: its code page directly; an email method offers a resend, and no way back to a chooser', async (t) => {
  const authenticatorOnly = await setUp(t, ['authenticator']);
  const totp = (await toSecondStep(authenticatorOnly)).login;
  t.match(totp.body, 'action="/oauth2/two-factor"');
  t.notMatch(totp.body, 'Choose another method');
  t.notMatch(totp.body, 'Resend the code', 'an authenticator has nothing to resend');

  const emailOnly = await setUp(t, ['email']);
  const before = (await codeEmails(emailOnly)).length;
  const { login, post } = await toSecondStep(emailOnly);
  t.match(login.body, `sent to ${ADDRESS}`, 'the password sent the only method its code');
  t.equal((await codeEmails(emailOnly)).length, before + 1);
  t.match(login.body, 'name="resendCode" value="true"');
  t.notMatch(login.body, 'Choose another method');
  const resent = await post('/oauth2/two-factor', { ...hiddenFields(login.body), resendCode: 'true' });
  t.equal(resent.statusCode, 200);
  t.equal((await codeEmails(emailOnly)).length, before + 2, 'resend sends another');
  const done = await post('/oauth2/two-factor', { ...hiddenFields(login.body), code: await lastCode(emailOnly) });
  t.equal(done.statusCode, 302);
});

t.test('bad input on the chooser: the page again with an error (400), or the expired page; never a 500', async (t) => {
  const app = await setUp(t);
  const { fields, post } = await toSecondStep(app);
  const missing = await post('/oauth2/two-factor-methods', fields);
  t.equal(missing.statusCode, 400);
  t.match(missing.body, /id="methodId-error" role="alert">Choose a method\./);
  t.match(missing.body, 'action="/oauth2/two-factor-methods"');
  const garbage = await post('/oauth2/two-factor-methods', { ...fields, methodId: '<script>alert(1)</script>' });
  t.equal(garbage.statusCode, 400);
  t.match(garbage.body, 'not one of yours');
  t.notMatch(garbage.body, '<script>alert(1)</script>');
  const huge = await post('/oauth2/two-factor-methods', { ...fields, methodId: 'x'.repeat(10_000) });
  t.equal(huge.statusCode, 400);
  const unknown = await post('/oauth2/two-factor-methods', { ...fields, twoFactorId: 'nope', methodId: 'ABCD' });
  t.equal(unknown.statusCode, 400);
  t.match(unknown.body, 'Log in again', 'an unknown twoFactorId answers as the code page does');
  const noId = await post('/oauth2/two-factor-methods', { ...fields, twoFactorId: '' });
  t.match(noId.body, 'Log in again');
  app.standin.control.clock.advance(301);
  const expired = await post('/oauth2/two-factor-methods', { ...fields, selectMethod: 'true' });
  t.equal(expired.statusCode, 400);
  t.match(expired.body, 'Log in again', 'an expired twoFactorId too');
  const noAuthz = await post('/oauth2/two-factor-methods', { twoFactorId: fields.twoFactorId!, methodId: 'ABCD' });
  t.equal(noAuthz.statusCode, 400);
  const json = await app.inject({
    method: 'POST',
    url: '/oauth2/two-factor-methods',
    headers: { 'content-type': 'application/json' },
    payload: '{}',
  });
  t.equal(json.statusCode, 400, 'a JSON body is refused as on every /oauth2 form');
});

t.test('the CSRF token is checked on every POST of the chooser and of the resend', async (t) => {
  const app = await setUp(t);
  const { login, fields, post } = await toSecondStep(app);
  const methodId = /name="methodId" value="([A-Z0-9]{4})"/.exec(login.body)![1]!;
  for (const [path, extra] of [
    ['/oauth2/two-factor-methods', { methodId }],
    ['/oauth2/two-factor', { methodId, resendCode: 'true' }],
  ] as const) {
    const noToken = { ...fields, ...extra };
    delete (noToken as Record<string, string>).csrf_token;
    t.equal((await post(path, noToken)).statusCode, 403, `${path}: no token`);
    t.equal((await post(path, { ...fields, ...extra }, {})).statusCode, 403, `${path}: no cookie`);
    t.equal((await post(path, { ...fields, ...extra, csrf_token: 'forged' })).statusCode, 403, `${path}: a forged token`);
  }
});

t.test('choosing the email method sends its code; resend replaces it; bad resends get the page with an error', async (t) => {
  const app = await setUp(t);
  const { login, fields, post } = await toSecondStep(app);
  const ids = [...login.body.matchAll(/name="methodId" value="([A-Z0-9]{4})"/g)].map((match) => match[1]!);
  const methods = (await app.inject({ url: `/api/user/${USER}`, headers: apiHeaders() })).json().user.twoFactor.methods;
  const emailId = methods.find((m: { method: string }) => m.method === 'email').id as string;
  const totpId = methods.find((m: { method: string }) => m.method === 'authenticator').id as string;
  t.same(new Set(ids), new Set([emailId, totpId]));
  const before = (await codeEmails(app)).length;

  const chosen = await post('/oauth2/two-factor-methods', { ...fields, methodId: emailId });
  t.equal(chosen.statusCode, 200);
  t.match(chosen.body, `sent to ${ADDRESS}`);
  t.match(chosen.body, 'Resend the code');
  t.match(chosen.body, 'Choose another method');
  t.equal((await codeEmails(app)).length, before + 1, 'one code emailed');
  const first = await lastCode(app);
  const codeFields = hiddenFields(chosen.body);
  t.equal(codeFields.methodId, emailId);

  const resent = await post('/oauth2/two-factor', { ...codeFields, resendCode: 'true', code: '' });
  t.equal(resent.statusCode, 200);
  t.match(resent.body, /role="status">A new code was sent to/);
  t.equal((await codeEmails(app)).length, before + 2, 'a second email');
  const second = await lastCode(app);

  const totpResend = await post('/oauth2/two-factor', { ...codeFields, methodId: totpId, resendCode: 'true' });
  t.equal(totpResend.statusCode, 400, 'an authenticator has no code to resend');
  t.match(totpResend.body, 'Only a code sent by email');
  const garbageResend = await post('/oauth2/two-factor', { ...codeFields, methodId: '"><x', resendCode: 'true' });
  t.equal(garbageResend.statusCode, 400);
  t.notMatch(garbageResend.body, '"><x');
  t.equal((await codeEmails(app)).length, before + 2, 'neither sent anything');

  if (first !== second) {
    const old = await post('/oauth2/two-factor', { ...codeFields, code: first });
    t.equal(old.statusCode, 200);
    t.match(old.body, 'Invalid verification code', 'the first code was replaced');
  }
  const done = await post('/oauth2/two-factor', { ...codeFields, code: second });
  t.equal(done.statusCode, 302);
  t.match(done.headers.location, /^http:\/\/localhost:3000\/callback\?code=/);
});

t.test('choosing the authenticator sends nothing; "Choose another method" shows the chooser with it checked', async (t) => {
  const app = await setUp(t);
  const { fields, post } = await toSecondStep(app);
  const methods = (await app.inject({ url: `/api/user/${USER}`, headers: apiHeaders() })).json().user.twoFactor.methods;
  const totpId = methods.find((m: { method: string }) => m.method === 'authenticator').id as string;
  const before = (await codeEmails(app)).length;
  const chosen = await post('/oauth2/two-factor-methods', { ...fields, methodId: totpId });
  t.match(chosen.body, 'authenticator app');
  t.notMatch(chosen.body, 'Resend the code');
  t.equal((await codeEmails(app)).length, before);
  const back = await post('/oauth2/two-factor-methods', { ...hiddenFields(chosen.body), selectMethod: 'true', code: '' });
  t.equal(back.statusCode, 200);
  t.match(back.body, new RegExp(`value="${totpId}" checked`));
  app.standin.control.clock.advance(30);
  const done = await post('/oauth2/two-factor', { ...hiddenFields(chosen.body), code: authenticatorCode(SECRET, app.standin.config.now()) });
  t.equal(done.statusCode, 302);
});
