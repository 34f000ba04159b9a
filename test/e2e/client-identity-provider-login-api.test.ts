import { createHash, randomBytes } from 'node:crypto';
import { FusionAuthClient, IdentityProviderType, type OpenIdConnectIdentityProvider } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import {
  assertEmpty,
  assertFieldError,
  assertGeneralError,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  GILFOYLE_ID,
  RICHARD_ID,
  settle,
  SPA_APP,
  startClientStandin,
  WEB_APP,
} from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { loginUpstream, startUpstream, type Upstream } from '../helpers/upstream-oidc.js';

// FusionAuth's Complete an OpenID Connect Login (POST /api/identity-provider/login,
// https://fusionauth.io/docs/apis/identity-providers/openid-connect) through @fusionauth/typescript-client: the
// application sends the browser to a real oidc-provider on loopback itself, to its own redirect URI, and posts the
// code it gets back; Standin redeems it, links the user and answers as the Login API.
const PROVIDER = 'c8100000-0000-4000-8000-00000000000a';
const UNKNOWN = 'c8199999-0000-4000-8000-000000000009';
// The application's own callback: the upstream redirects there, and the test reads the code off the URL.
const APP_REDIRECT = 'http://127.0.0.1:9/app/idp-callback';
const OTHER_TENANT = 'c8100000-0000-4000-8000-0000000000e1';

/** Logs in at the upstream as `login` the way an application's own page would; answers the code (and the PKCE verifier, if asked). */
async function upstreamCode(upstream: Upstream, login: string, options: { pkce?: boolean } = {}): Promise<{ code: string; verifier?: string }> {
  const metadata = (await (await fetch(`${upstream.issuer}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
  const url = new URL(metadata.authorization_endpoint);
  const verifier = options.pkce ? randomBytes(32).toString('base64url') : undefined;
  url.search = new URLSearchParams({
    client_id: upstream.clientId,
    redirect_uri: APP_REDIRECT,
    response_type: 'code',
    scope: 'openid email profile',
    state: 'app-state',
    nonce: 'app-nonce',
    ...(verifier === undefined ? {} : { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }),
  }).toString();
  const back = new URL(await loginUpstream(createHttpBrowser(), url.href, login));
  const code = back.searchParams.get('code');
  if (back.origin + back.pathname !== APP_REDIRECT || code === null) throw new Error(`the upstream answered ${back.href}`);
  return { code, ...(verifier === undefined ? {} : { verifier }) };
}

const OTHER_TENANT_KEY = 'client-idp-login-other-tenant-key-0123456789';
// A second tenant, and a key bound to it.
const otherTenant = {
  apiKeys: [{ key: OTHER_TENANT_KEY, tenantId: OTHER_TENANT }],
  requests: [{ url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } }],
};

t.test('Complete an OpenID Connect Login through the FusionAuth client', async (t) => {
  const standin = await startClientStandin(t, otherTenant);
  // With two tenants, the User API is asked in the one the test's users are in.
  const api = new FusionAuthClient(CLIENT_API_KEY, standin.url, CLIENT_TENANT_ID);
  const upstream = await startUpstream(
    [`${standin.url}/oauth2/callback`, APP_REDIRECT],
    [
      { sub: 'alice-sub', email: 'alice@example.com', email_verified: true, given_name: 'Alice' },
      { sub: 'richard-sub', email: 'richard@example.com', email_verified: true },
      { sub: 'unverified-sub', email: 'mallory@example.com', email_verified: false },
      { sub: 'carol-sub', email: 'carol@example.com', email_verified: true },
      { sub: 'gilfoyle-sub', email: 'gilfoyle@example.com', email_verified: true },
      { sub: 'nobody-sub', email: 'nobody@example.com', email_verified: true },
    ],
  );
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
  // The Login API is anonymous in FusionAuth's client: no API key is sent.
  const anonymous = new FusionAuthClient('', standin.url);
  const login = async (name: string, extra: Record<string, unknown> = {}, data: Record<string, string> = {}) => {
    const { code } = await upstreamCode(upstream, name);
    return settle(
      anonymous.identityProviderLogin({
        applicationId: WEB_APP,
        identityProviderId: PROVIDER,
        data: { code, redirect_uri: APP_REDIRECT, ...data },
        ...extra,
      }),
    );
  };
  const patchProvider = (patch: Record<string, unknown>) => api.patchIdentityProvider(PROVIDER, { identityProvider: patch as never });

  t.test('LinkByEmail: a new user is created, linked and registered; 200 with the tokens of an OPENID_CONNECT login', async (t) => {
    const answer = await login('alice-sub', { ipAddress: '203.0.113.7' });
    t.equal(answer.statusCode, 200);
    const { token, refreshToken, user } = answer.response;
    t.equal(user!.email, 'alice@example.com');
    t.same(
      user!.registrations!.map((registration) => registration.applicationId),
      [WEB_APP],
      'registered by createRegistration',
    );
    const claims = decodeJwt(token!);
    t.equal(claims.authenticationType, 'OPENID_CONNECT');
    t.equal(claims.applicationId, WEB_APP);
    t.equal(claims.sub, user!.id);
    t.type(refreshToken, 'string', 'the application generates refresh tokens');
    const links = (await api.retrieveUserLinksByUserId(PROVIDER, user!.id!)).response.identityProviderLinks!;
    t.same(
      links.map((link) => [link.identityProviderUserId, link.displayName]),
      [['alice-sub', 'alice@example.com']],
    );

    const again = await login('alice-sub', { noJWT: true });
    t.equal(again.statusCode, 200);
    t.equal(again.response.user!.id, user!.id, 'the link finds the same user again');
    t.equal(again.response.token, undefined, 'noJWT: no token');
  });

  t.test('LinkByEmail: an existing user is linked, not duplicated', async (t) => {
    const answer = await login('richard-sub');
    t.equal(answer.statusCode, 200);
    t.equal(answer.response.user!.id, RICHARD_ID);
  });

  t.test('a PKCE verifier is sent on with the code; a wrong one is refused by the provider', async (t) => {
    const good = await upstreamCode(upstream, 'alice-sub', { pkce: true });
    const answer = await anonymous.identityProviderLogin({
      applicationId: WEB_APP,
      identityProviderId: PROVIDER,
      data: { code: good.code, redirect_uri: APP_REDIRECT, code_verifier: good.verifier! },
    });
    t.equal(answer.statusCode, 200);
    const bad = await upstreamCode(upstream, 'alice-sub', { pkce: true });
    const refused = await settle(
      anonymous.identityProviderLogin({
        applicationId: WEB_APP,
        identityProviderId: PROVIDER,
        data: { code: bad.code, redirect_uri: APP_REDIRECT, code_verifier: randomBytes(32).toString('base64url') },
      }),
    );
    assertGeneralError(t, refused, '[ExternalAuthenticationException]OpenIDConnectToken', 401);
  });

  t.test('a code the provider refuses (used twice, or sent with another redirect_uri) is a 401', async (t) => {
    const { code } = await upstreamCode(upstream, 'alice-sub');
    const first = { applicationId: WEB_APP, identityProviderId: PROVIDER, data: { code, redirect_uri: APP_REDIRECT } };
    t.equal((await anonymous.identityProviderLogin(first)).statusCode, 200);
    const replayed = await settle(anonymous.identityProviderLogin(first));
    assertGeneralError(t, replayed, '[ExternalAuthenticationException]OpenIDConnectToken', 401);
    t.match(replayed.exception!.generalErrors![0]!.message, 'invalid_grant');
    const elsewhere = await login('alice-sub', {}, { redirect_uri: 'http://127.0.0.1:9/somewhere-else' });
    assertGeneralError(t, elsewhere, '[ExternalAuthenticationException]OpenIDConnectToken', 401);
  });

  t.test('an email the provider calls unverified links no one', async (t) => {
    assertGeneralError(t, await login('unverified-sub'), '[ExternalAuthenticationException]UnverifiedEmail', 401);
    assertEmpty(t, await settle(api.retrieveUserByEmail('mallory@example.com')), 404);
  });

  t.test('noLink: an unlinked user is an empty 404 and nothing is made; a linked one logs in', async (t) => {
    assertEmpty(t, await login('nobody-sub', { noLink: true }), 404);
    assertEmpty(t, await settle(api.retrieveUserByEmail('nobody@example.com')), 404);
    t.equal((await login('alice-sub', { noLink: true })).statusCode, 200);
  });

  t.test('Disabled and LinkByEmailForExistingUser: no one to log in is an empty 404', async (t) => {
    await patchProvider({ linkingStrategy: 'Disabled' });
    assertEmpty(t, await login('nobody-sub'), 404);
    await patchProvider({ linkingStrategy: 'LinkByEmailForExistingUser' });
    t.teardown(() => patchProvider({ linkingStrategy: 'LinkByEmail' }));
    assertEmpty(t, await login('nobody-sub'), 404);
    t.equal((await login('richard-sub')).statusCode, 200, 'an existing user still logs in');
  });

  t.test('createRegistration off: a user not registered to the application gets 202', async (t) => {
    await patchProvider({ applicationConfiguration: { [WEB_APP]: { enabled: true, createRegistration: false } } });
    t.teardown(() => patchProvider({ applicationConfiguration: { [WEB_APP]: { enabled: true, createRegistration: true } } }));
    const answer = await login('carol-sub');
    t.equal(answer.statusCode, 202);
    t.equal(answer.response.user!.email, 'carol@example.com');
    t.same(answer.response.user!.registrations ?? [], []);
  });

  t.test('the Login API’s other answers: 203 for a required password change, 410 expired, 409 an action preventing login', async (t) => {
    await api.patchUser(RICHARD_ID, { user: { passwordChangeRequired: true } });
    const change = await login('richard-sub');
    t.equal(change.statusCode, 203);
    t.type((change.response as { changePasswordId?: string }).changePasswordId, 'string');

    await api.patchUser(GILFOYLE_ID, { user: { expiry: 1 } });
    assertEmpty(t, await login('gilfoyle-sub'), 410);
    await api.patchUser(GILFOYLE_ID, { user: { expiry: null } as never });

    const lock = 'c8100000-0000-4000-8000-0000000000ac';
    await api.createUserAction(lock, { userAction: { name: 'Lock', preventLogin: true, temporal: true } });
    await api.actionUser({
      broadcast: false,
      action: { actioneeUserId: GILFOYLE_ID, actionerUserId: RICHARD_ID, userActionId: lock, expiry: 4102444800000 },
    });
    const prevented = await login('gilfoyle-sub');
    t.equal(prevented.statusCode, 409);
    t.match(prevented.exception, { actions: [{ actionId: String, name: 'Lock' }] });
  });

  t.test('errors: missing fields, an unknown provider or application, a provider not enabled for the application', async (t) => {
    const empty = await settle(anonymous.identityProviderLogin({}));
    for (const field of ['applicationId', 'identityProviderId', 'data.code', 'data.redirect_uri']) assertFieldError(t, empty, field, 'missing');
    const unknown = await settle(
      anonymous.identityProviderLogin({ applicationId: UNKNOWN, identityProviderId: UNKNOWN, data: { code: 'x', redirect_uri: APP_REDIRECT } }),
    );
    assertFieldError(t, unknown, 'applicationId', 'invalid');
    assertFieldError(t, unknown, 'identityProviderId', 'invalid');
    const spa = await settle(
      anonymous.identityProviderLogin({ applicationId: SPA_APP, identityProviderId: PROVIDER, data: { code: 'x', redirect_uri: APP_REDIRECT } }),
    );
    assertGeneralError(t, spa, '[ExternalAuthenticationException]InvalidApplication', 401);
    const raw = await fetch(`${standin.url}/api/identity-provider/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"applicationId":',
    });
    t.equal(raw.status, 400, 'bad JSON is a 400');
  });

  t.test('a request scoped to another tenant (X-FusionAuth-TenantId, or a tenant-bound key) cannot log into this tenant’s application', async (t) => {
    const scoped = new FusionAuthClient('', standin.url, OTHER_TENANT);
    const { code } = await upstreamCode(upstream, 'alice-sub');
    const body = { applicationId: WEB_APP, identityProviderId: PROVIDER, data: { code, redirect_uri: APP_REDIRECT } };
    assertFieldError(t, await settle(scoped.identityProviderLogin(body)), 'applicationId', 'invalid');
    const bound = await fetch(`${standin.url}/api/identity-provider/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: OTHER_TENANT_KEY },
      body: JSON.stringify(body),
    });
    t.equal(bound.status, 400);
    t.match(await bound.json(), { fieldErrors: { applicationId: [{ code: '[invalid]applicationId' }] } });
    // The same code still logs in, unscoped: it was never sent to the provider.
    t.equal((await anonymous.identityProviderLogin(body)).statusCode, 200);
  });

  t.test('a provider scoped to another tenant than the application’s is [InvalidIdentityProviderId]', async (t) => {
    const scopedProvider = 'c8100000-0000-4000-8000-00000000000b';
    await api.createIdentityProvider(scopedProvider, {
      identityProvider: { ...provider, name: 'Other tenant’s', tenantId: OTHER_TENANT },
    });
    const answer = await settle(
      anonymous.identityProviderLogin({
        applicationId: WEB_APP,
        identityProviderId: scopedProvider,
        data: { code: 'x', redirect_uri: APP_REDIRECT },
      }),
    );
    assertGeneralError(t, answer, '[InvalidIdentityProviderId]');
    await api.deleteIdentityProvider(scopedProvider);
  });
});

t.test('Search, Lookup, Start and pending links through the FusionAuth client', async (t) => {
  const standin = await startClientStandin(t, otherTenant);
  const { client: api } = standin;
  const oidc = (name: string, extra: Record<string, unknown> = {}) =>
    ({
      type: IdentityProviderType.OpenIDConnect,
      name,
      buttonText: `Login with ${name}`,
      enabled: true,
      oauth2: {
        client_id: 'standin',
        client_secret: 'secret',
        issuer: 'https://sso.example.test',
        authorization_endpoint: 'https://sso.example.test/authorize',
        token_endpoint: 'https://sso.example.test/token',
      },
      ...extra,
    }) as unknown as OpenIdConnectIdentityProvider;
  const ACME = 'c8100000-0000-4000-8000-0000000000a1';
  const CORP = 'c8100000-0000-4000-8000-0000000000a2';
  const SCOPED = 'c8100000-0000-4000-8000-0000000000a3';
  await api.createIdentityProvider(ACME, { identityProvider: oidc('Acme SSO', { applicationConfiguration: { [WEB_APP]: { enabled: true } } }) });
  await api.createIdentityProvider(CORP, { identityProvider: oidc('Corp SSO', { enabled: false }) });
  await api.createIdentityProvider(SCOPED, { identityProvider: oidc('Other tenant SSO', { tenantId: OTHER_TENANT }) });

  t.test('searchIdentityProviders: by name, type, application and tenant, ordered and paged, by POST and by GET', async (t) => {
    const names = (answer: { response: { identityProviders?: { name?: string }[] } }) =>
      answer.response.identityProviders!.map((found) => found.name);
    const all = await api.searchIdentityProviders({ search: {} });
    t.same(names(all), ['Acme SSO', 'Corp SSO', 'Other tenant SSO'], 'by name by default');
    t.equal(all.response.total, 3);
    t.same(names(await api.searchIdentityProviders({ search: { name: 'corp' } })), ['Corp SSO'], 'no * is *value*');
    t.same(names(await api.searchIdentityProviders({ search: { name: '*SSO', orderBy: 'name DESC', numberOfResults: 1, startRow: 1 } })), [
      'Corp SSO',
    ]);
    t.same(names(await api.searchIdentityProviders({ search: { applicationId: WEB_APP } })), ['Acme SSO'], 'enabled for the application');
    t.same(names(await api.searchIdentityProviders({ search: { tenantId: OTHER_TENANT } })), ['Other tenant SSO']);
    t.same(names(await api.searchIdentityProviders({ search: { orderBy: 'enabled', numberOfResults: 1 } })), ['Corp SSO']);
    const byGet = await api.searchIdentityProvidersByParameters(
      WEB_APP,
      'acme',
      10,
      'name',
      0,
      undefined as unknown as string,
      IdentityProviderType.OpenIDConnect,
    );
    t.same(names(byGet), ['Acme SSO']);
    const searchAnswer = all.response.identityProviders![0] as OpenIdConnectIdentityProvider;
    t.equal(searchAnswer.oauth2!.client_secret, 'secret', 'providers are answered as the Retrieve API answers them');

    assertGeneralError(t, await settle(api.searchIdentityProviders({ search: { type: IdentityProviderType.SAMLv2 } })), '[NotModelled]');
    assertFieldError(t, await settle(api.searchIdentityProviders({ search: { type: 'Nope' as never } })), 'search.type', 'invalid');
    assertFieldError(t, await settle(api.searchIdentityProviders({ search: { orderBy: 'client_secret' } })), 'search.orderBy', 'invalid');
    assertFieldError(t, await settle(api.searchIdentityProviders({ search: { applicationId: 'not-an-id' } })), 'search.applicationId', 'invalid');
    assertEmpty(t, await settle(new FusionAuthClient(OTHER_TENANT_KEY, standin.url).searchIdentityProviders({ search: {} })), 401);
  });

  t.test('lookupIdentityProvider: the enabled provider that manages a domain; 404 for the rest', async (t) => {
    // Managed domains are refused through the API, since Standin's login page does not follow them; a kickstart's are stored.
    assertGeneralError(
      t,
      await settle(api.patchIdentityProvider(ACME, { identityProvider: { domains: ['acme.example'] } as never })),
      '[NotModelled]',
    );
    assertEmpty(t, await settle(api.lookupIdentityProvider('jenny@acme.example')), 404);
  });

  t.test('startIdentityProviderLogin and retrievePendingLink are [NotModelled], loudly', async (t) => {
    const start = await settle(api.startIdentityProviderLogin({ applicationId: WEB_APP, identityProviderId: ACME }));
    assertGeneralError(t, start, '[NotModelled]', 404);
    t.match(start.exception!.generalErrors![0]!.message, 'POST /api/identity-provider/login');
    const pending = await settle(api.retrievePendingLink('some-pending-link', RICHARD_ID));
    assertGeneralError(t, pending, '[NotModelled]', 404);
    t.match(pending.exception!.generalErrors![0]!.message, 'CreatePendingLink');
  });
});

t.test('lookupIdentityProvider over a kickstart’s managed domains', async (t) => {
  const APP = 'c8100000-0000-4000-8000-0000000000c1';
  const GLOBAL = 'c8100000-0000-4000-8000-0000000000c2';
  const TENANT_SCOPED = 'c8100000-0000-4000-8000-0000000000c3';
  const DISABLED = 'c8100000-0000-4000-8000-0000000000c4';
  const apiKey = 'client-idp-lookup-key-0123456789abcdef';
  const provider = (name: string, domains: string[], extra: Record<string, unknown> = {}) => ({
    identityProvider: {
      type: 'OpenIDConnect',
      name,
      buttonText: name,
      enabled: true,
      domains,
      oauth2: {
        client_id: 'standin',
        client_secret: 'never-answered-by-lookup',
        issuer: 'https://acme.example.test',
        authorization_endpoint: 'https://acme.example.test/authorize',
        token_endpoint: 'https://acme.example.test/token',
      },
      applicationConfiguration: { [APP]: { enabled: true } },
      ...extra,
    },
  });
  const { startStandin } = await import('../../src/index.js');
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: CLIENT_TENANT_ID },
      apiKeys: [{ key: apiKey }],
      requests: [
        { url: `/api/application/${APP}`, body: { application: { name: 'Acme app' } } },
        { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
        { url: `/api/identity-provider/${GLOBAL}`, body: provider('Acme global', ['acme.example', 'Acme.Test']) },
        { url: `/api/identity-provider/${TENANT_SCOPED}`, body: provider('Acme other tenant', ['acme.example'], { tenantId: OTHER_TENANT }) },
        { url: `/api/identity-provider/${DISABLED}`, body: provider('Disabled', ['disabled.example'], { enabled: false }) },
        // Replayed, not ignored: the Search API is modelled.
        { url: '/api/identity-provider/search', body: { search: { name: 'Acme' } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  t.same(standin.app.seedReport.ignored, [], 'nothing ignored');
  const client = new FusionAuthClient(apiKey, standin.url);

  const found = await client.lookupIdentityProvider('jenny@ACME.example');
  t.equal(found.statusCode, 200);
  t.same(found.response, {
    identityProvider: {
      applicationIds: [APP],
      id: GLOBAL,
      insertInstant: found.response.identityProvider!['insertInstant' as never],
      lastUpdateInstant: found.response.identityProvider!['lastUpdateInstant' as never],
      name: 'Acme global',
      oauth2: { authorization_endpoint: 'https://acme.example.test/authorize', token_endpoint: 'https://acme.example.test/token' },
      type: 'OpenIDConnect',
    },
  });
  t.equal((await client.lookupIdentityProvider('acme.test')).response.identityProvider!.id, GLOBAL, 'a domain alone, in any case');
  const anonymous = await fetch(`${standin.url}/api/identity-provider/lookup?domain=acme.example&tenantId=${OTHER_TENANT}`);
  t.equal(anonymous.status, 200, 'open to anyone');
  t.equal(((await anonymous.json()) as { identityProvider: { id: string } }).identityProvider.id, TENANT_SCOPED, 'the tenant’s own provider wins');
  assertEmpty(t, await settle(client.lookupIdentityProvider('jenny@disabled.example')), 404);
  assertEmpty(t, await settle(client.lookupIdentityProvider('jenny@elsewhere.example')), 404);
  assertFieldError(t, await settle(client.lookupIdentityProvider('')), 'domain', 'missing');
});
