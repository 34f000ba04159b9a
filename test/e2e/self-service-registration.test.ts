import * as oidc from 'openid-client';
import t from 'tap';
import {
  CALLBACK,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  hiddenFields,
  RICHARD_LOGIN,
  settle,
  SPA_APP,
  startClientStandin,
  WEB_APP,
  WEB_SECRET,
} from '../helpers/fixtures.js';
import { createHttpBrowser, type HttpBrowser } from '../helpers/http-browser.js';

// Self-service registration (docs/self-service-registration.md): openid-client starts a login, a plain HTTP
// browser follows "Create an account" and fills in the hosted form, and the app trades the code for tokens.
const { url, client } = await startClientStandin(t);
await client.patchApplication(WEB_APP, {
  application: {
    registrationConfiguration: { enabled: true, confirmPassword: true, firstName: { enabled: true, required: true }, lastName: { enabled: true } },
  },
});
const configuration = await oidc.discovery(new URL(url), WEB_APP, WEB_SECRET, undefined, { execute: [oidc.allowInsecureRequests] });

const unescape = (value: string) =>
  value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** A fresh browser on the registration page reached from the login page's link, and what the app must check afterwards. */
async function openRegistration(clientId = WEB_APP) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizeUrl = oidc.buildAuthorizationUrl(
    clientId === WEB_APP
      ? configuration
      : await oidc.discovery(new URL(url), clientId, undefined, undefined, { execute: [oidc.allowInsecureRequests] }),
    {
      redirect_uri: CALLBACK,
      scope: 'openid offline_access email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    },
  );
  const browser = createHttpBrowser();
  const login = await browser.get(authorizeUrl.href);
  const html = await login.text();
  const link = /<a href="([^"]+)">Create an account<\/a>/.exec(html)?.[1];
  return {
    browser,
    verifier,
    state,
    nonce,
    authorizeUrl,
    loginHtml: html,
    registerUrl: link === undefined ? undefined : new URL(unescape(link), url).href,
  };
}

async function submit(browser: HttpBrowser, registerUrl: string, fields: Record<string, string>) {
  const page = await browser.get(registerUrl);
  const form = { ...hiddenFields(await page.text()), ...fields };
  return browser.post(`${url}/oauth2/register`, form);
}

const NEW_USER = {
  'user.email': 'monica@example.com',
  'user.password': 'monica-pass',
  passwordConfirm: 'monica-pass',
  'user.firstName': 'Monica',
  'user.lastName': 'Hall',
};

t.test('the login page links to the registration page with the OAuth parameters', async (t) => {
  const { registerUrl, authorizeUrl } = await openRegistration();
  t.ok(registerUrl, 'a Create an account link');
  const linked = new URL(registerUrl!);
  t.equal(linked.pathname, '/oauth2/register');
  for (const name of ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'scope', 'response_type']) {
    t.equal(linked.searchParams.get(name), authorizeUrl.searchParams.get(name), `${name} is carried`);
  }
  t.notOk((await openRegistration(SPA_APP)).registerUrl, 'no link for an application without self-service registration');
});

t.test('the form shows FusionAuth field errors and writes nothing', async (t) => {
  const { browser, registerUrl } = await openRegistration();
  const page = await (await browser.get(registerUrl!)).text();
  for (const name of ['user.email', 'user.password', 'passwordConfirm', 'user.firstName', 'user.lastName'])
    t.match(page, `name="${name}"`, `field ${name}`);
  t.notMatch(page, 'name="user.birthDate"', 'fields the application leaves off are not shown');

  const short = await submit(browser, registerUrl!, { ...NEW_USER, 'user.password': 'short', passwordConfirm: 'short' });
  t.equal(short.status, 400);
  const shortHtml = await short.text();
  t.match(shortHtml, 'Password does not meet the minimum length requirement');
  t.match(shortHtml, 'Password must meet the following constraints:');
  t.match(shortHtml, 'value="monica@example.com"', 'what was typed is kept');
  t.notMatch(shortHtml, 'monica-pass', 'the password is never echoed');

  const taken = await submit(browser, registerUrl!, { ...NEW_USER, 'user.email': RICHARD_LOGIN.loginId });
  t.equal(taken.status, 400);
  t.match(await taken.text(), 'An account already exists for that email');

  const mismatch = await submit(browser, registerUrl!, { ...NEW_USER, passwordConfirm: 'something-else' });
  t.match(await mismatch.text(), 'Passwords don&#39;t match');

  const missing = await submit(browser, registerUrl!, { ...NEW_USER, 'user.firstName': '' });
  t.match(await missing.text(), /id="firstName-error">Required</);

  const noEmail = await submit(browser, registerUrl!, { ...NEW_USER, 'user.email': 'not-an-email' });
  t.match(await noEmail.text(), 'Invalid email');

  t.equal((await settle(client.retrieveUserByEmail(NEW_USER['user.email']))).statusCode, 404, 'no user was created');
});

t.test('one answer shows every field error: a required field left empty beside a password too short and a bad email', async (t) => {
  const { browser, registerUrl } = await openRegistration();
  const answer = await submit(browser, registerUrl!, {
    ...NEW_USER,
    'user.email': 'not-an-email',
    'user.password': 'short',
    passwordConfirm: 'short',
    'user.firstName': '',
  });
  t.equal(answer.status, 400);
  const html = await answer.text();
  t.match(html, /id="firstName-error">Required</, "the form's own check");
  t.match(html, 'Password does not meet the minimum length requirement', "the tenant's password rules");
  t.match(html, 'Invalid email', "the User API's email check");
  t.equal((await settle(client.retrieveUserByEmail('not-an-email'))).statusCode, 404, 'nothing was written');
});

t.test('a registration ends at the redirect_uri with a code, as a password login does', async (t) => {
  const { browser, registerUrl, verifier, state, nonce } = await openRegistration();
  const done = await submit(browser, registerUrl!, NEW_USER);
  t.equal(done.status, 302);
  const location = new URL(done.headers.get('location')!);
  t.equal(`${location.origin}${location.pathname}`, CALLBACK);
  t.equal(location.searchParams.get('state'), state);
  t.equal(location.searchParams.get('userState'), 'Authenticated');
  const tokens = await oidc.authorizationCodeGrant(configuration, location, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  t.ok(tokens.refresh_token, 'a refresh token (offline_access)');
  const claims = tokens.claims()!;
  t.equal(claims.email, 'monica@example.com');

  const user = (await client.retrieveUserByEmail('monica@example.com')).response.user!;
  t.equal(claims.sub, user.id);
  t.match(user, { firstName: 'Monica', lastName: 'Hall' });
  t.same(
    user.registrations?.map((registration) => registration.applicationId),
    [WEB_APP],
    'registered to the application',
  );
  t.ok(browser.cookie('fusionauth.sso'), 'an SSO session');

  // The session is a real one: the next authorize needs no form.
  const again = await browser.authorize(oidc.buildAuthorizationUrl(configuration, { redirect_uri: CALLBACK, scope: 'openid', state: 's2' }).href);
  t.equal(again.showedForm, false);
  t.match(again.location, /[?&]code=/);
  // And the new user can log in with the password chosen.
  const login = await createHttpBrowser().authorize(
    oidc.buildAuthorizationUrl(configuration, { redirect_uri: CALLBACK, scope: 'openid', state: 's3' }).href,
    {
      loginId: 'monica@example.com',
      password: 'monica-pass',
    },
  );
  t.match(login.location, /[?&]code=/);
  // A logged-in browser asking for the registration page is sent on to the login.
  const registerAgain = await browser.get(registerUrl!);
  t.equal(registerAgain.status, 302);
  t.match(registerAgain.headers.get('location'), /^\/oauth2\/authorize\?/);
});

t.test('the tenant password rules apply on the form', async (t) => {
  const { CLIENT_TENANT_ID } = await import('../helpers/fixtures.js');
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordValidationRules: { requireNumber: true, requireMixedCase: true } } });
  t.teardown(() => client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordValidationRules: { requireNumber: false, requireMixedCase: false } } }));
  const { browser, registerUrl } = await openRegistration();
  const page = await (await browser.get(registerUrl!)).text();
  t.match(page, 'Must contain at least one number');
  const weak = await submit(browser, registerUrl!, {
    ...NEW_USER,
    'user.email': 'jared@example.com',
    'user.password': 'lowercase-only',
    passwordConfirm: 'lowercase-only',
  });
  const html = await weak.text();
  t.match(html, 'Password must use upper and lowercase characters');
  t.match(html, 'Password must contain a number character');
});

t.test('refusals', async (t) => {
  const pkce = { code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' };
  const disabled = await createHttpBrowser().get(
    `${url}/oauth2/register?${new URLSearchParams({ client_id: SPA_APP, redirect_uri: CALLBACK, response_type: 'code', ...pkce })}`,
  );
  t.equal(disabled.status, 400, 'an application without self-service registration');
  t.match(await disabled.text(), 'Self-service registration is not enabled for this application.');

  const untrusted = await createHttpBrowser().get(
    `${url}/oauth2/register?${new URLSearchParams({ client_id: WEB_APP, redirect_uri: 'https://evil.example/cb', response_type: 'code' })}`,
  );
  t.equal(untrusted.status, 400, 'an unregistered redirect_uri is an error page, never a redirect');

  const { browser, registerUrl } = await openRegistration();
  const page = await browser.get(registerUrl!);
  const form = { ...hiddenFields(await page.text()), ...NEW_USER, 'user.email': 'forged@example.com' };
  const forged = await createHttpBrowser().post(`${url}/oauth2/register`, form);
  t.equal(forged.status, 403, 'a POST without the CSRF cookie is refused');
  const tampered = await browser.post(`${url}/oauth2/register`, { ...form, redirect_uri: 'http://localhost:3000/other' });
  t.equal(tampered.status, 400, 'an edited redirect_uri is refused before anything else');
  t.equal((await settle(client.retrieveUserByEmail('forged@example.com'))).statusCode, 404);
});

t.test('the hosted backend /app/register leads to the registration page', async (t) => {
  const browser = createHttpBrowser();
  const started = await browser.get(`${url}/app/register/${WEB_APP}?${new URLSearchParams({ redirect_uri: CALLBACK, state: 'app-state' })}`);
  t.equal(started.status, 302);
  const next = new URL(started.headers.get('location')!, url);
  t.equal(next.pathname, '/oauth2/register');
  t.equal(next.searchParams.get('redirect_uri'), `${url}/app/callback`);
  t.equal(next.searchParams.get('code_challenge_method'), 'S256');
  const done = await submit(browser, next.href, { ...NEW_USER, 'user.email': 'erlich@example.com' });
  t.equal(done.status, 302);
  const callback = await browser.get(new URL(done.headers.get('location')!, url).href);
  t.equal(callback.status, 302, 'the callback trades the code');
  t.match(callback.headers.get('location'), /^http:\/\/localhost:3000\/callback\?state=app-state/);
  t.ok(browser.cookie('app.at'), 'app.at is set');

  const disabled = await createHttpBrowser().get(`${url}/app/register/${SPA_APP}?${new URLSearchParams({ redirect_uri: CALLBACK })}`);
  t.match(disabled.headers.get('location'), /^\/oauth2\/authorize\?/, 'without self-service registration, to the login');
});

t.test('a sign-up in a tenant that verifies email: the verification email, the gate, then the app once verified', async (t) => {
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated' as never } } } });
  t.teardown(() => client.patchTenant(CLIENT_TENANT_ID, { tenant: { emailConfiguration: { verifyEmail: false } } }));
  const { browser, registerUrl, verifier, state, nonce, authorizeUrl } = await openRegistration();
  const signedUp = await submit(browser, registerUrl!, { ...NEW_USER, 'user.email': 'laurie@example.com' });
  t.equal(signedUp.status, 200, 'no code yet');
  t.match(await signedUp.text(), 'Verify your email', 'the verification gate');
  const user = (await client.retrieveUserByEmail('laurie@example.com')).response.user!;
  t.equal(user.verified, false, 'the new user is unverified');

  const emails = (await (await fetch(`${url}/_standin/emails?to=laurie@example.com`, { headers: { authorization: CLIENT_API_KEY } })).json()) as {
    emails: Array<{ verificationId?: string }>;
  };
  const verificationId = emails.emails[0]?.verificationId;
  t.ok(verificationId, 'the verification email is in the outbox with its id');
  t.equal((await client.verifyEmailAddress({ verificationId: verificationId! })).statusCode, 200);

  const { location } = await browser.authorize(authorizeUrl.href, { loginId: 'laurie@example.com', password: NEW_USER['user.password'] });
  const tokens = await oidc.authorizationCodeGrant(configuration, new URL(location), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  t.equal(tokens.claims()!.email_verified, true, 'verified, the user reaches the app');
});
