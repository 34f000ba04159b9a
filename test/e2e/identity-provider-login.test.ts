import { IdentityProviderType, type OpenIdConnectIdentityProvider } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { CALLBACK, GILFOYLE_ID, RICHARD_ID, SPA_APP, WEB_APP, WEB_SECRET, startClientStandin } from '../helpers/fixtures.js';
import { createHttpBrowser, type HttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { loginUpstream, startUpstream } from '../helpers/upstream-oidc.js';

// "Login with …" through an OpenID Connect identity provider (docs/identity-providers.md), end to end: a real
// oidc-provider upstream on loopback, Standin's hosted login page driven as a browser would, and openid-client on
// the application's side trading the code Standin sends back.
const PROVIDER = 'c8000000-0000-4000-8000-00000000000a';

t.test('login through an OpenID Connect identity provider', async (t) => {
  const standin = await startClientStandin(t);
  const { client: api } = standin;
  const upstream = await startUpstream(`${standin.url}/oauth2/callback`, [
    { sub: 'alice-sub', email: 'alice@example.com', email_verified: true, given_name: 'Alice' },
    { sub: 'richard-sub', email: 'richard@example.com', email_verified: true },
    { sub: 'unverified-sub', email: 'mallory@example.com', email_verified: false },
    { sub: 'nobody-sub', email: 'nobody@example.com', email_verified: true },
  ]);
  t.teardown(() => upstream.close());
  const provider = {
    type: IdentityProviderType.OpenIDConnect,
    name: 'Upstream',
    buttonText: 'Login with Upstream',
    enabled: true,
    oauth2: { client_id: upstream.clientId, client_secret: upstream.clientSecret, issuer: upstream.issuer, scope: 'openid email profile' },
    applicationConfiguration: { [WEB_APP]: { enabled: true, createRegistration: true } },
  } as unknown as OpenIdConnectIdentityProvider;
  await api.createIdentityProvider(PROVIDER, { identityProvider: provider });

  const app = await client.discovery(new URL(standin.url), WEB_APP, WEB_SECRET, undefined, { execute: [client.allowInsecureRequests] });
  /** The application starts a login; answers the browser on Standin's login page, and what the app must check. */
  const startAt = async (extra: Record<string, string> = {}, clientId = WEB_APP) => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(app, {
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    const browser = createHttpBrowser();
    const page = await browser.get(url.href);
    return { browser, page, checks: { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce } };
  };
  /** Presses the "Login with Upstream" button; answers the redirect to the upstream provider. */
  const pressButton = async (browser: HttpBrowser, html: string) => {
    const pressed = await browser.post(`${standin.url}/oauth2/authorize`, {
      ...hiddenFields(html),
      loginId: '',
      password: '',
      identityProviderId: PROVIDER,
    });
    t.equal(pressed.status, 302, 'the button sends the browser to the provider');
    return pressed.headers.get('location')!;
  };
  /** The whole login as `login` at the upstream; answers Standin's answer to the callback. */
  const federatedLogin = async (login: string) => {
    const { browser, page, checks } = await startAt();
    const upstreamUrl = await pressButton(browser, await page.text());
    const callback = await loginUpstream(browser, upstreamUrl, login);
    const answer = await browser.get(callback);
    return { browser, answer, callback, checks };
  };
  const tokensFrom = async (answer: Response, checks: client.AuthorizationCodeGrantChecks) => {
    t.equal(answer.status, 302, 'Standin sends the code to the application');
    return client.authorizationCodeGrant(app, new URL(answer.headers.get('location')!), checks);
  };

  t.test('the login page shows a button for the provider enabled for the application, and not for another', async (t) => {
    const { page } = await startAt();
    const html = await page.text();
    t.match(
      html,
      /<button type="submit" class="idp" name="identityProviderId" value="c8000000-0000-4000-8000-00000000000a" formnovalidate>Login with Upstream<\/button>/,
    );
    const spa = await startAt({}, SPA_APP);
    t.notMatch(await spa.page.text(), 'Login with Upstream');
  });

  t.test('the button starts the authorization code flow at the provider: PKCE S256, a nonce, Standin’s callback', async (t) => {
    const { browser, page } = await startAt();
    const location = new URL(await pressButton(browser, await page.text()));
    t.equal(location.origin, upstream.issuer);
    t.match(Object.fromEntries(location.searchParams), {
      client_id: upstream.clientId,
      response_type: 'code',
      redirect_uri: `${standin.url}/oauth2/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: /^[A-Za-z0-9_-]{43}$/,
      nonce: /.+/,
      state: /.+/,
    });
  });

  t.test('LinkByEmail: a new user is created, linked and registered; the app gets tokens of an OPENID_CONNECT login', async (t) => {
    const { answer, checks } = await federatedLogin('alice-sub');
    const tokens = await tokensFrom(answer, checks);
    t.equal(tokens.claims()!.email, 'alice@example.com');
    const access = decodeJwt(tokens.access_token);
    t.equal(access.authenticationType, 'OPENID_CONNECT');
    t.equal(access.applicationId, WEB_APP);
    const user = (await api.retrieveUserByEmail('alice@example.com')).response.user!;
    t.equal(access.sub, user.id);
    t.same(
      user.registrations!.map((registration) => registration.applicationId),
      [WEB_APP],
      'registered by createRegistration',
    );

    const again = await federatedLogin('alice-sub');
    t.equal(decodeJwt((await tokensFrom(again.answer, again.checks)).access_token).sub, user.id, 'the link finds the same user again');
  });

  t.test('LinkByEmail: an existing user with that email is linked, not duplicated', async (t) => {
    const { answer, checks } = await federatedLogin('richard-sub');
    t.equal(decodeJwt((await tokensFrom(answer, checks)).access_token).sub, RICHARD_ID);
  });

  t.test('an email the provider says is unverified links no one', async (t) => {
    const { answer } = await federatedLogin('unverified-sub');
    t.equal(answer.status, 400);
    t.match(await answer.text(), 'not verified');
    t.equal((await api.retrieveUserByEmail('mallory@example.com').catch((error: unknown) => error as { statusCode: number })).statusCode, 404);
  });

  t.test('LinkByEmailForExistingUser: an unknown email is refused with a page', async (t) => {
    await api.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'LinkByEmailForExistingUser' } as never });
    t.teardown(() => api.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'LinkByEmail' } as never }));
    const { answer } = await federatedLogin('nobody-sub');
    t.equal(answer.status, 400);
    t.match(await answer.text(), 'There is no account for [nobody@example.com]');
  });

  t.test('Disabled: only a link made through the Link API logs in; the Link API lists the logins’ links', async (t) => {
    await api.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'Disabled' } as never });
    t.teardown(() => api.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'LinkByEmail' } as never }));
    const refused = await federatedLogin('nobody-sub');
    t.equal(refused.answer.status, 400);
    t.match(await refused.answer.text(), 'links accounts through the API only');

    const gilfoyle = { id: GILFOYLE_ID };
    const created = await api.createUserLink({
      identityProviderLink: { identityProviderId: PROVIDER, identityProviderUserId: 'nobody-sub', userId: gilfoyle.id, displayName: 'Gilfoyle' },
    });
    t.match(created.response.identityProviderLink, {
      identityProviderId: PROVIDER,
      identityProviderName: 'Upstream',
      identityProviderType: 'OpenIDConnect',
      identityProviderUserId: 'nobody-sub',
      userId: gilfoyle.id,
      displayName: 'Gilfoyle',
    });
    const linked = await federatedLogin('nobody-sub');
    t.equal(decodeJwt((await tokensFrom(linked.answer, linked.checks)).access_token).sub, gilfoyle.id);

    const richard = await api.retrieveUserLinksByUserId(PROVIDER, RICHARD_ID);
    t.same(
      richard.response.identityProviderLinks!.map((link) => [link.identityProviderUserId, link.displayName]),
      [['richard-sub', 'richard@example.com']],
      'the link a LinkByEmail login made',
    );
    t.equal((await api.deleteUserLink(PROVIDER, 'nobody-sub', gilfoyle.id)).statusCode, 200);
    const unlinked = await federatedLogin('nobody-sub');
    t.equal(unlinked.answer.status, 400, 'unlinked, refused again');
  });

  t.test('a reconcile lambda runs on each login: the UserInfo claims, the id token, the tokens; its changes are saved', async (t) => {
    const body = `function reconcile(user, registration, jwt, id_token, tokens) {
      user.firstName = jwt.given_name;
      user.email = 'changed@example.com';
      user.data = { upstreamSub: id_token.sub, hasAccessToken: typeof tokens.access_token === 'string' };
      registration.data = { reconciled: true };
    }`;
    const lambda = await api.createLambda(undefined as unknown as string, { lambda: { name: 'Reconcile', type: 'OpenIDReconcile' as never, body } });
    await api.patchIdentityProvider(PROVIDER, { identityProvider: { lambdaConfiguration: { reconcileId: lambda.response.lambda!.id } } as never });
    t.teardown(() => api.patchIdentityProvider(PROVIDER, { identityProvider: { lambdaConfiguration: { reconcileId: null } } as never }));
    const { answer, checks } = await federatedLogin('alice-sub');
    const tokens = await tokensFrom(answer, checks);
    const user = (await api.retrieveUser(decodeJwt(tokens.access_token).sub!)).response.user!;
    t.equal(user.firstName, 'Alice');
    t.equal(user.email, 'alice@example.com', 'the email it links on stays');
    t.same(user.data, { upstreamSub: 'alice-sub', hasAccessToken: true });
    t.same(user.registrations!.find((registration) => registration.applicationId === WEB_APP)!.data, { reconciled: true });
  });

  t.test('a state is good once, in the browser that started the login, and a made-up one is refused', async (t) => {
    const { browser, callback } = await federatedLogin('alice-sub');
    const replayed = await browser.get(callback);
    t.equal(replayed.status, 400, 'replayed');
    t.match(await replayed.text(), 'expired, was already used');
    t.equal(replayed.headers.get('location'), null);

    const started = await startAt();
    const upstreamUrl = await pressButton(started.browser, await started.page.text());
    const stolen = await loginUpstream(started.browser, upstreamUrl, 'alice-sub');
    const elsewhere = await createHttpBrowser().get(stolen);
    t.equal(elsewhere.status, 400, 'another browser');
    t.match(await elsewhere.text(), 'started in another browser');

    const madeUp = await createHttpBrowser().get(`${standin.url}/oauth2/callback?code=x&state=made-up`);
    t.equal(madeUp.status, 400);
    t.equal((await createHttpBrowser().get(`${standin.url}/oauth2/callback`)).status, 400, 'no state at all');
  });

  t.test('the provider’s error answer is shown as a page, never a redirect', async (t) => {
    const { browser, page } = await startAt();
    const state = new URL(await pressButton(browser, await page.text())).searchParams.get('state')!;
    const params = new URLSearchParams({ error: 'access_denied', error_description: 'The user said no', state, iss: upstream.issuer });
    const answer = await browser.get(`${standin.url}/oauth2/callback?${params}`);
    t.equal(answer.status, 400);
    t.equal(answer.headers.get('location'), null);
    t.match(await answer.text(), 'access_denied: The user said no');
  });

  t.test('a failed token exchange (a wrong client secret) is a 502 page', async (t) => {
    const { browser, page } = await startAt();
    const upstreamUrl = await pressButton(browser, await page.text());
    const callback = await loginUpstream(browser, upstreamUrl, 'alice-sub');
    await api.patchIdentityProvider(PROVIDER, { identityProvider: { oauth2: { client_secret: 'wrong' } } as never });
    t.teardown(() => api.patchIdentityProvider(PROVIDER, { identityProvider: { oauth2: { client_secret: upstream.clientSecret } } as never }));
    const answer = await browser.get(callback);
    t.equal(answer.status, 502);
    t.match(await answer.text(), 'invalid_client');
  });

  t.test('idp_hint skips the login page; an unknown hint shows it', async (t) => {
    const { page } = await startAt({ idp_hint: PROVIDER });
    t.equal(page.status, 302);
    t.equal(new URL(page.headers.get('location')!).origin, upstream.issuer);
    const unknown = await startAt({ idp_hint: 'c8999999-0000-4000-8000-000000000009' });
    t.equal(unknown.page.status, 200);
  });

  t.test('a disabled provider shows no button and its button is refused', async (t) => {
    const { browser, page } = await startAt();
    const html = await page.text();
    await api.patchIdentityProvider(PROVIDER, { identityProvider: { enabled: false } as never });
    t.teardown(() => api.patchIdentityProvider(PROVIDER, { identityProvider: { enabled: true } as never }));
    t.notMatch(await (await startAt()).page.text(), 'Login with Upstream');
    const pressed = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(html), identityProviderId: PROVIDER });
    t.equal(pressed.status, 200);
    t.match(await pressed.text(), 'That identity provider is not available for this application.');
  });
});
