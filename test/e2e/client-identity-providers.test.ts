import { join } from 'node:path';
import { FusionAuthClient, IdentityProviderType, type OpenIdConnectIdentityProvider } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Identity Provider API for the OpenID Connect type (https://fusionauth.io/docs/apis/identity-providers/openid-connect)
// through @fusionauth/typescript-client against a listening Standin; every other type is [NotModelled].
const API_KEY = 'client-identity-providers-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7000000-0000-4000-8000-000000000001';
const KNOWN = 'c7000000-0000-4000-8000-00000000000a';
const UNKNOWN = 'c7999999-0000-4000-8000-000000000009';
const USER = 'c7000000-0000-4000-8000-0000000000b1';
const NO_ID = undefined as unknown as string;

const oidc = (extra: Record<string, unknown> = {}) =>
  ({
    type: IdentityProviderType.OpenIDConnect,
    name: 'Corporate SSO',
    buttonText: 'Log in with Corporate SSO',
    enabled: true,
    oauth2: { client_id: 'standin', client_secret: 'upstream-secret', issuer: 'https://sso.example.test', scope: 'openid email' },
    applicationConfiguration: { [APP]: { enabled: true, createRegistration: true } },
    ...extra,
  }) as unknown as OpenIdConnectIdentityProvider;

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [{ url: `/api/application/${APP}`, body: { application: { name: 'Federated' } } }],
};

t.test('the Identity Provider API through the FusionAuth client', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createIdentityProvider(KNOWN, { identityProvider: oidc() });

  t.test('createIdentityProvider answers the provider with FusionAuth’s defaults filled in', async (t) => {
    t.equal(created.statusCode, 200);
    const provider = created.response.identityProvider as OpenIdConnectIdentityProvider;
    t.match(provider, {
      id: KNOWN,
      type: 'OpenIDConnect',
      name: 'Corporate SSO',
      buttonText: 'Log in with Corporate SSO',
      enabled: true,
      debug: false,
      linkingStrategy: 'LinkByEmail',
      lambdaConfiguration: {},
      oauth2: {
        client_id: 'standin',
        client_secret: 'upstream-secret',
        clientAuthenticationMethod: 'client_secret_basic',
        issuer: 'https://sso.example.test',
        scope: 'openid email',
        emailClaim: 'email',
        emailVerifiedClaim: 'email_verified',
        uniqueIdClaim: 'sub',
        usernameClaim: 'preferred_username',
      },
      applicationConfiguration: { [APP]: { enabled: true, createRegistration: true } },
    });
    t.type(provider.insertInstant, 'number');
    const generated = await client.createIdentityProvider(NO_ID, { identityProvider: oidc({ name: 'Second' }) });
    t.match(generated.response.identityProvider!.id, /^[0-9a-f-]{36}$/);
    t.equal((await client.deleteIdentityProvider(generated.response.identityProvider!.id!)).statusCode, 200);
    assertFieldError(t, await settle(client.createIdentityProvider(KNOWN, { identityProvider: oidc() })), 'identityProviderId', 'duplicate');
  });

  t.test('createIdentityProvider refuses what FusionAuth requires with its field codes', async (t) => {
    const answer = await settle(
      client.createIdentityProvider(NO_ID, {
        identityProvider: oidc({ name: ' ', buttonText: '', oauth2: { issuer: 'not a url', clientAuthenticationMethod: 'client_secret_post' } }),
      }),
    );
    assertFieldError(t, answer, 'identityProvider.name', 'blank');
    assertFieldError(t, answer, 'identityProvider.buttonText', 'blank');
    assertFieldError(t, answer, 'identityProvider.oauth2.client_id', 'blank');
    assertFieldError(t, answer, 'identityProvider.oauth2.client_secret', 'blank');
    assertFieldError(t, answer, 'identityProvider.oauth2.issuer', 'invalid');
    const badApp = await settle(
      client.createIdentityProvider(NO_ID, { identityProvider: oidc({ applicationConfiguration: { [UNKNOWN]: { enabled: true } } }) }),
    );
    assertFieldError(t, badApp, 'identityProvider.applicationConfiguration', 'invalid');
    assertFieldError(
      t,
      await settle(client.createIdentityProvider(NO_ID, { identityProvider: oidc({ linkingStrategy: 'Sometimes' }) })),
      'identityProvider.linkingStrategy',
      'invalid',
    );
    t.equal((await client.retrieveIdentityProviders()).response.identityProviders!.length, 1, 'nothing half-written');
  });

  t.test('every other type, and every setting the login would not follow, is [NotModelled]', async (t) => {
    const google = { type: IdentityProviderType.Google, enabled: true, client_id: 'x', client_secret: 'y' } as never;
    assertGeneralError(t, await settle(client.createIdentityProvider(NO_ID, { identityProvider: google })), '[NotModelled]');
    assertGeneralError(t, await settle(client.retrieveIdentityProviderByType(IdentityProviderType.SAMLv2)), '[NotModelled]');
    for (const extra of [
      { domains: ['example.com'] },
      { linkingStrategy: 'CreatePendingLink' },
      { linkingStrategy: 'LinkAnonymously' },
      { postRequest: true },
      { oauth2: { client_id: 'c', client_secret: 's', authorization_endpoint: 'https://a.test/auth', token_endpoint: 'https://a.test/token' } },
    ]) {
      const answer = await settle(client.createIdentityProvider(NO_ID, { identityProvider: oidc(extra) }));
      assertGeneralError(t, answer, '[NotModelled]');
    }
    t.equal((await client.retrieveIdentityProviders()).response.identityProviders!.length, 1, 'none stored');
  });

  t.test('a reconcile lambda must be an existing OpenIDReconcile lambda', async (t) => {
    const populate = await client.createLambda(NO_ID, { lambda: { name: 'Populate', type: 'JWTPopulate' as never, body: 'function populate() {}' } });
    const reconcile = await client.createLambda(NO_ID, {
      lambda: { name: 'Reconcile', type: 'OpenIDReconcile' as never, body: 'function reconcile(user) {}' },
    });
    for (const reconcileId of [UNKNOWN, populate.response.lambda!.id!, 'not-a-uuid']) {
      assertFieldError(
        t,
        await settle(client.createIdentityProvider(NO_ID, { identityProvider: oidc({ lambdaConfiguration: { reconcileId } }) })),
        'identityProvider.lambdaConfiguration.reconcileId',
        'invalid',
      );
    }
    const withLambda = await client.createIdentityProvider(NO_ID, {
      identityProvider: oidc({ name: 'Reconciled', lambdaConfiguration: { reconcileId: reconcile.response.lambda!.id } }),
    });
    t.same((withLambda.response.identityProvider as OpenIdConnectIdentityProvider).lambdaConfiguration, {
      reconcileId: reconcile.response.lambda!.id,
    });
    await client.deleteLambda(reconcile.response.lambda!.id!);
    const after = await client.retrieveIdentityProvider(withLambda.response.identityProvider!.id!);
    t.same((after.response.identityProvider as OpenIdConnectIdentityProvider).lambdaConfiguration, {}, 'deleting the lambda detaches it');
    await client.deleteIdentityProvider(withLambda.response.identityProvider!.id!);
  });

  t.test('retrieveIdentityProvider, retrieveIdentityProviders and retrieveIdentityProviderByType', async (t) => {
    t.same((await client.retrieveIdentityProvider(KNOWN)).response.identityProvider, created.response.identityProvider);
    t.same(
      (await client.retrieveIdentityProviderByType(IdentityProviderType.OpenIDConnect)).response.identityProviders!.map((p) => p.id),
      [KNOWN],
    );
    t.same(
      (await client.retrieveIdentityProviders()).response.identityProviders!.map((p) => p.id),
      [KNOWN],
    );
    assertEmpty(t, await settle(client.retrieveIdentityProvider(UNKNOWN)), 404);
  });

  t.test('updateIdentityProvider replaces, patchIdentityProvider merges; the type stays', async (t) => {
    const provider = (await client.retrieveIdentityProvider(KNOWN)).response.identityProvider as OpenIdConnectIdentityProvider;
    const updated = await client.updateIdentityProvider(KNOWN, { identityProvider: { ...provider, name: 'Renamed', debug: true } });
    t.match(updated.response.identityProvider, { name: 'Renamed', debug: true, insertInstant: provider.insertInstant });
    const patched = await client.patchIdentityProvider(KNOWN, {
      identityProvider: { buttonText: 'Continue with SSO', linkingStrategy: 'LinkByEmailForExistingUser' } as never,
    });
    t.match(patched.response.identityProvider, {
      name: 'Renamed',
      buttonText: 'Continue with SSO',
      linkingStrategy: 'LinkByEmailForExistingUser',
      oauth2: { client_secret: 'upstream-secret' },
    });
    assertFieldError(
      t,
      await settle(client.patchIdentityProvider(KNOWN, { identityProvider: { oauth2: { client_id: null } } as never })),
      'identityProvider.oauth2.client_id',
      'blank',
    );
    assertGeneralError(
      t,
      await settle(client.patchIdentityProvider(KNOWN, { identityProvider: { domains: ['corp.example'] } as never })),
      '[NotModelled]',
    );
    assertEmpty(t, await settle(client.updateIdentityProvider(UNKNOWN, { identityProvider: oidc() })), 404);
  });

  t.test('deleteIdentityProvider', async (t) => {
    const extra = await client.createIdentityProvider(NO_ID, { identityProvider: oidc({ name: 'Doomed' }) });
    const id = extra.response.identityProvider!.id!;
    t.equal((await client.deleteIdentityProvider(id)).statusCode, 200);
    assertEmpty(t, await settle(client.retrieveIdentityProvider(id)), 404);
    assertEmpty(t, await settle(client.deleteIdentityProvider(id)), 404);
  });
});

t.test('the Link API through the FusionAuth client', async (t) => {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    freshSeed: true,
    kickstart: {
      ...kickstart,
      requests: [
        ...kickstart.requests,
        { url: `/api/identity-provider/${KNOWN}`, body: { identityProvider: oidc() } },
        { url: `/api/user/${USER}`, body: { user: { email: 'linked@example.com', password: 'password123' } } },
        // Kickstarts may link users too.
        {
          url: '/api/identity-provider/link',
          body: { identityProviderLink: { identityProviderId: KNOWN, identityProviderUserId: 'seeded', userId: USER } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createUserLink({
    identityProviderLink: { identityProviderId: KNOWN, identityProviderUserId: 'upstream-42', userId: USER, displayName: 'Linked', token: 'opaque' },
  });
  t.match(created.response.identityProviderLink, {
    identityProviderId: KNOWN,
    identityProviderName: 'Corporate SSO',
    identityProviderType: 'OpenIDConnect',
    identityProviderUserId: 'upstream-42',
    userId: USER,
    tenantId: TENANT,
    displayName: 'Linked',
    token: 'opaque',
  });
  t.same(
    (await client.retrieveUserLinksByUserId(KNOWN, USER)).response.identityProviderLinks!.map((link) => link.identityProviderUserId),
    ['seeded', 'upstream-42'],
  );
  t.same((await client.retrieveUserLinksByUserId(NO_ID, USER)).response.identityProviderLinks!.length, 2, 'all of the user’s links');
  t.equal((await client.retrieveUserLink(KNOWN, 'upstream-42', USER)).response.identityProviderLink!.displayName, 'Linked');
  assertEmpty(t, await settle(client.retrieveUserLink(KNOWN, 'upstream-42', UNKNOWN)), 404);

  const errors = await settle(client.createUserLink({ identityProviderLink: { identityProviderId: UNKNOWN, userId: UNKNOWN } }));
  assertFieldError(t, errors, 'identityProviderLink.identityProviderId', 'invalid');
  assertFieldError(t, errors, 'identityProviderLink.identityProviderUserId', 'blank');
  assertFieldError(t, errors, 'identityProviderLink.userId', 'invalid');
  assertFieldError(
    t,
    await settle(client.createUserLink({ identityProviderLink: { identityProviderId: KNOWN, identityProviderUserId: 'upstream-42', userId: USER } })),
    'identityProviderLink.identityProviderUserId',
    'duplicate',
  );
  assertGeneralError(t, await settle(client.createUserLink({ pendingIdPLinkId: 'x', identityProviderLink: { userId: USER } })), '[NotModelled]');

  t.equal((await client.deleteUserLink(KNOWN, 'upstream-42', USER)).statusCode, 200);
  assertEmpty(t, await settle(client.deleteUserLink(KNOWN, 'upstream-42', USER)), 404);
  t.equal((await client.deleteIdentityProvider(KNOWN)).statusCode, 200);
  t.same((await client.retrieveUserLinksByUserId(NO_ID, USER)).response.identityProviderLinks, [], 'deleting the provider deletes its links');
});

t.test('identity providers survive a restart and are put back by a reset', async (t) => {
  const dir = temporaryFolder(t, 'standin-idp-');
  const db = join(dir, 'standin.db');
  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db, kickstart });
  await new FusionAuthClient(API_KEY, first.url).createIdentityProvider(KNOWN, { identityProvider: oidc() });
  await first.close();
  const second = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db });
  t.teardown(() => second.close());
  const client = new FusionAuthClient(API_KEY, second.url);
  t.equal((await client.retrieveIdentityProvider(KNOWN)).response.identityProvider!.name, 'Corporate SSO');

  const memory = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, freshSeed: true });
  t.teardown(() => memory.close());
  const other = new FusionAuthClient(API_KEY, memory.url);
  await other.createIdentityProvider(KNOWN, { identityProvider: oidc() });
  memory.reset();
  assertEmpty(t, await settle(other.retrieveIdentityProvider(KNOWN)), 404);
});

t.test('a kickstart: an OpenID Connect provider is stored and its unmodelled settings listed; other types are ignored, loudly', async (t) => {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    freshSeed: true,
    kickstart: {
      ...kickstart,
      requests: [
        ...kickstart.requests,
        // A reconcile lambda Standin does not have (FusionAuth's built-in one, say) is stored and listed.
        {
          url: `/api/identity-provider/${KNOWN}`,
          body: { identityProvider: oidc({ domains: ['corp.example'], lambdaConfiguration: { reconcileId: UNKNOWN } }) },
        },
        { url: '/api/identity-provider', body: { identityProvider: { type: 'Google', client_id: 'g', client_secret: 's', enabled: true } } },
        { url: `/api/identity-provider/${UNKNOWN}`, body: { identityProvider: { type: 'SAMLv2', name: 'SAML' } } },
        { method: 'PATCH', url: `/api/identity-provider/${UNKNOWN}`, body: { identityProvider: { enabled: false } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  t.same(((await client.retrieveIdentityProvider(KNOWN)).response.identityProvider as OpenIdConnectIdentityProvider).domains, ['corp.example']);
  t.same(standin.app.seedReport.ignored, [
    'POST /api/identity-provider',
    `POST /api/identity-provider/${UNKNOWN}`,
    `PATCH /api/identity-provider/${UNKNOWN}`,
  ]);
  const text = banner(standin.app, 9011);
  t.match(text, 'Not modelled: accepted from the kickstart, with no effect');
  t.match(text, '/api/identity-provider (types other than OpenIDConnect and ExternalJWT, and its other APIs)  3 requests');
  t.match(text, '  identityProvider.domains  on identity provider Corporate SSO');
  t.match(text, '  identityProvider.lambdaConfiguration.reconcileId (no such lambda)  on identity provider Corporate SSO');
});
