import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { authenticatorCode } from '../helpers/totp.js';

// A user whose `expiry` has passed on Standin's clock logs in no more and gets no new token (docs/login-flow.md,
// "An expired user"), through @fusionauth/typescript-client and the hosted pages over HTTP: each test logs the
// user in first, then moves the clock past the expiry.
const API_KEY = 'user-expiry-api-key-0123456789abcdef';
const TENANT = 'e1e09513-a3f5-401c-9685-34ab6c552453';
const APP = 'e1000000-0000-4000-8000-000000000001';
const SECRET = 'user-expiry-secret-0123456789abcdef';
const USER = 'e1100000-0000-4000-8000-000000000001';
const EMAIL = 'russ@example.com';
const PASSWORD = 'three-comma-club-1';
const CALLBACK = 'http://localhost:5999/callback';
const T0 = Date.UTC(2027, 0, 1);
// One minute of life: far shorter than the JWT's and the refresh token's, so only the user's expiry can refuse.
const EXPIRY = T0 + 60_000;
const PAST_EXPIRY_SECONDS = 120;

async function start(t: Test, user: Record<string, unknown> = {}) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Hooli',
              loginConfiguration: { generateRefreshTokens: true },
              passwordlessConfiguration: { enabled: true },
              oauthConfiguration: {
                clientSecret: SECRET,
                authorizedRedirectURLs: [CALLBACK],
                enabledGrants: ['authorization_code', 'password', 'refresh_token'],
                generateRefreshTokens: true,
              },
            },
          },
        },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: EMAIL, password: PASSWORD, expiry: EXPIRY, ...user }, registration: { applicationId: APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const expire = () => standin.clock.advance(PAST_EXPIRY_SECONDS);
  return { standin, client: new FusionAuthClient(API_KEY, standin.url), expire };
}

t.test('the Login API answers an empty 410 once the expiry has passed; a wrong password is still a 404', async (t) => {
  const { client, expire } = await start(t);
  const before = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  t.equal(before.statusCode, 200, 'before the expiry the user logs in');
  t.equal(before.response.user!.expiry, EXPIRY, 'and the expiry reads back');
  expire();
  const after = await settle(client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP }));
  t.equal(after.statusCode, 410);
  t.notOk(after.response, 'with no body');
  const wrong = await settle(client.login({ loginId: EMAIL, password: 'not-the-password', applicationId: APP }));
  t.equal(wrong.statusCode, 404, 'credentials are checked first');

  await client.updateUser(USER, { user: { email: EMAIL, expiry: null as never } });
  t.equal((await client.retrieveUser(USER)).response.user!.expiry, undefined, 'a null expiry takes it away');
  t.equal((await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP })).statusCode, 200, 'and the user logs in again');
});

t.test('tokens issued before the expiry get nothing new after it: /api/jwt/refresh and /api/jwt/issue', async (t) => {
  const { client, expire } = await start(t);
  const { token, refreshToken } = (await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP })).response;
  t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! })).statusCode, 200, 'refreshing works before');
  expire();
  t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! }))).statusCode, 400, 'the refresh is refused');
  t.equal((await settle(client.issueJWT(APP, token!, refreshToken!))).statusCode, 401, 'and so is a JWT for the application');
});

t.test('the 410 comes before a required password change (203)', async (t) => {
  const { client, expire } = await start(t, { passwordChangeRequired: true });
  t.equal((await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP })).statusCode, 203, 'a 203 before the expiry');
  expire();
  t.equal((await settle(client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP }))).statusCode, 410);
});

t.test('a second factor finished after the expiry answers 410 at /api/two-factor/login', async (t) => {
  const { client, expire } = await start(t);
  const login = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  const secret = (await client.generateTwoFactorSecretUsingJWT(login.response.token!)).response.secretBase32Encoded!;
  await client.enableTwoFactor(USER, { method: 'authenticator', secretBase32Encoded: secret, code: authenticatorCode(secret, T0) });
  const step = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  t.equal(step.statusCode, 242, 'the second factor is asked before the expiry');
  expire();
  const done = await settle(
    client.twoFactorLogin({
      twoFactorId: step.response.twoFactorId!,
      code: authenticatorCode(secret, T0 + PAST_EXPIRY_SECONDS * 1000),
      applicationId: APP,
    }),
  );
  t.equal(done.statusCode, 410);
});

t.test('a magic link answers 410 too', async (t) => {
  const { client, expire } = await start(t);
  const { code } = (await client.startPasswordlessLogin({ applicationId: APP, loginId: EMAIL })).response;
  expire();
  t.equal((await settle(client.passwordlessLogin({ code: code!, applicationId: APP }))).statusCode, 410);
});

t.test('the password grant refuses with user_expired, and the refresh_token grant refuses the earlier refresh token', async (t) => {
  const { client, expire } = await start(t);
  const granted = await client.exchangeUserCredentialsForAccessToken(EMAIL, PASSWORD, APP, SECRET, 'offline_access', null as never);
  t.equal(granted.statusCode, 200, 'granted before the expiry');
  expire();
  const refused = await settle(client.exchangeUserCredentialsForAccessToken(EMAIL, PASSWORD, APP, SECRET, 'offline_access', null as never));
  t.equal(refused.statusCode, 400);
  t.match(refused.exception, { error: 'invalid_grant', error_reason: 'user_expired' });
  const refreshed = await settle(client.exchangeRefreshTokenForAccessToken(granted.response.refresh_token!, APP, SECRET, '', null as never));
  t.equal(refreshed.statusCode, 400);
  t.match(refreshed.exception, { error: 'invalid_grant' });
});

t.test('the hosted login: no SSO reuse after the expiry, and the form shows the expired-user message', async (t) => {
  const { standin, expire } = await start(t);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const first = await browser.authorize(authorize, { loginId: EMAIL, password: PASSWORD });
  t.ok(new URL(first.location).searchParams.get('code'), 'a code before the expiry');
  t.equal((await browser.authorize(authorize)).showedForm, false, 'and the SSO session logs in again without the form');

  expire();
  const page = await browser.get(authorize);
  t.equal(page.status, 200, 'after the expiry the session logs in no more: the login form shows');
  const posted = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(await page.text()), loginId: EMAIL, password: PASSWORD });
  t.equal(posted.status, 200, 'the right password gets no code');
  const expiredForm = await posted.text();
  t.match(expiredForm, 'Your account has expired. Please contact your system administrator.');
  t.match(expiredForm, `value="${EMAIL}"`, 'the form keeps the login id typed');
});

t.test('a hosted page that ends the login after the expiry (here the required password change) shows the message, not a code', async (t) => {
  const { standin, expire } = await start(t, { passwordChangeRequired: true });
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const form = await (await browser.get(authorize)).text();
  const toChange = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(form), loginId: EMAIL, password: PASSWORD });
  t.equal(toChange.status, 302, 'the password leads to the change page before the expiry');
  const changePage = await (await browser.get(new URL(toChange.headers.get('location')!, standin.url).href)).text();

  expire();
  const newPassword = 'a-password-of-my-own-2';
  const changed = await browser.post(`${standin.url}/password/change`, {
    ...hiddenFields(changePage),
    password: newPassword,
    passwordConfirm: newPassword,
  });
  t.equal(changed.status, 200, 'no redirect with a code');
  t.match(await changed.text(), 'Your account has expired. Please contact your system administrator.');
  t.notOk(browser.cookie('fusionauth.sso'), 'and no SSO session');
});

t.test('the hosted two-factor step finished after the expiry shows the message, not a code', async (t) => {
  const { standin, client, expire } = await start(t);
  const login = await client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP });
  const secret = (await client.generateTwoFactorSecretUsingJWT(login.response.token!)).response.secretBase32Encoded!;
  await client.enableTwoFactor(USER, { method: 'authenticator', secretBase32Encoded: secret, code: authenticatorCode(secret, T0) });
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const form = await (await browser.get(authorize)).text();
  const step = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(form), loginId: EMAIL, password: PASSWORD });
  const stepPage = await step.text();
  t.match(stepPage, 'name="code"', 'the second factor is asked before the expiry');

  expire();
  const code = authenticatorCode(secret, T0 + PAST_EXPIRY_SECONDS * 1000);
  const done = await browser.post(`${standin.url}/oauth2/two-factor`, { ...hiddenFields(stepPage), code });
  t.equal(done.status, 200, 'no redirect with a code');
  t.match(await done.text(), 'Your account has expired. Please contact your system administrator.');
  t.notOk(browser.cookie('fusionauth.sso'), 'and no SSO session');
});

t.test('a code issued before the expiry is refused at the token endpoint after it', async (t) => {
  const { standin, client } = await start(t);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const { location } = await createHttpBrowser().authorize(authorize, { loginId: EMAIL, password: PASSWORD });
  // Within the code's short life: the expiry is brought forward to now rather than the clock moved on.
  await client.patchUser(USER, { user: { expiry: T0 } });
  const exchanged = await settle(client.exchangeOAuthCodeForAccessToken(new URL(location).searchParams.get('code')!, APP, SECRET, CALLBACK));
  t.equal(exchanged.statusCode, 400);
  // FusionAuth's one answer to every unusable code.
  t.match(exchanged.exception, { error: 'invalid_request', error_reason: 'auth_code_not_found' });
});

t.test('an expiry that is not a number of milliseconds is a 400 [invalid]user.expiry', async (t) => {
  const { client } = await start(t);
  const answer = await settle(
    client.createUser(null as never, { user: { email: 'erlich@example.com', password: PASSWORD, expiry: 'tomorrow' as never } }),
  );
  assertFieldError(t, answer, 'user.expiry', 'invalid');
});
