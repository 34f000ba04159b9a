import { join } from 'node:path';
import { FusionAuthClient, IdentityProviderType, LambdaType, type ExternalJWTIdentityProvider } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, exportSPKI, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import {
  assertEmpty,
  assertFieldError,
  assertGeneralError,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  RICHARD_ID,
  settle,
  SPA_APP,
  startClientStandin,
  WEB_APP,
} from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's External JWT identity provider (https://fusionauth.io/docs/apis/identity-providers/external-jwt) and the
// JWT Reconcile API (https://fusionauth.io/docs/apis/jwt) through @fusionauth/typescript-client against a listening
// Standin: the test holds the other issuer's keys, imports their public parts through the Key API, and signs JWTs.
const PROVIDER = 'e1100000-0000-4000-8000-00000000000a';
const UNKNOWN = 'e1199999-0000-4000-8000-000000000009';
const RSA_KEY = 'e1100000-0000-4000-8000-0000000000c1';
const EC_KEY = 'e1100000-0000-4000-8000-0000000000c2';
const LAMBDA = 'e1100000-0000-4000-8000-0000000000d1';
const NO_ID = undefined as unknown as string;

interface Issuer {
  rsa: CryptoKey;
  ec: CryptoKey;
  rsaPublic: string;
  ecPublic: string;
}

async function issuerKeys(): Promise<Issuer> {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  return { rsa: rsa.privateKey, ec: ec.privateKey, rsaPublic: await exportSPKI(rsa.publicKey), ecPublic: await exportSPKI(ec.publicKey) };
}

/** A JWT the other issuer signs: RS256 with kid `rsa-1` unless told otherwise; `exp` an hour from now. */
function sign(key: CryptoKey, claims: Record<string, unknown>, header: { alg?: string; kid?: string } = {}, exp = '1h'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: header.alg ?? 'RS256',
      ...(header.kid === undefined ? { kid: 'rsa-1' } : header.kid === '' ? {} : { kid: header.kid }),
    })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
}

const provider = (extra: Record<string, unknown> = {}) =>
  ({
    type: IdentityProviderType.ExternalJWT,
    name: 'Partner JWT',
    enabled: true,
    headerKeyParameter: 'kid',
    verificationKeyIds: [RSA_KEY, EC_KEY],
    claimMap: { given_name: 'firstName', dept: 'UserData', company: 'RegistrationData' },
    applicationConfiguration: { [WEB_APP]: { enabled: true } },
    ...extra,
  }) as unknown as ExternalJWTIdentityProvider;

async function importKeys(client: FusionAuthClient, issuer: Issuer): Promise<void> {
  await client.importKey(RSA_KEY, { key: { name: 'Partner RSA', kid: 'rsa-1', publicKey: issuer.rsaPublic } });
  await client.importKey(EC_KEY, { key: { name: 'Partner EC', kid: 'ec-1', publicKey: issuer.ecPublic } });
}

t.test('the External JWT identity provider through the FusionAuth client', async (t) => {
  const { client, url } = await startClientStandin(t);
  const issuer = await issuerKeys();
  await importKeys(client, issuer);

  t.test('create answers FusionAuth’s defaults; retrieve, by type and search find it', async (t) => {
    const created = (await client.createIdentityProvider(PROVIDER, { identityProvider: provider() })).response
      .identityProvider as ExternalJWTIdentityProvider;
    t.equal(created.type, 'ExternalJWT');
    t.equal(created.linkingStrategy, 'LinkByEmail');
    t.equal(created.defaultKeyId, RSA_KEY);
    t.same(created.oauth2, { emailClaim: 'email', emailVerifiedClaim: 'email_verified', uniqueIdClaim: 'sub', usernameClaim: 'preferred_username' });
    t.same(created.applicationConfiguration![WEB_APP], { enabled: true, createRegistration: true });
    const byType = (await client.retrieveIdentityProviderByType(IdentityProviderType.ExternalJWT)).response.identityProviders!;
    t.same(
      byType.map((found) => found.id),
      [PROVIDER],
    );
    const searched = (await client.searchIdentityProviders({ search: { type: IdentityProviderType.ExternalJWT } })).response;
    t.equal(searched.total, 1);
    const patched = (await client.patchIdentityProvider(PROVIDER, { identityProvider: { debug: true } as never })).response.identityProvider!;
    t.equal(patched.debug, true);
    t.equal((patched as ExternalJWTIdentityProvider).headerKeyParameter, 'kid');
  });

  t.test('defaultKeyId alone is the list; a list given makes its first entry the defaultKeyId', async (t) => {
    const legacy = provider({ verificationKeyIds: undefined, defaultKeyId: EC_KEY });
    const created = (await client.createIdentityProvider(NO_ID, { identityProvider: legacy })).response
      .identityProvider as ExternalJWTIdentityProvider;
    t.same(created.verificationKeyIds, [EC_KEY]);
    const patched = (await client.patchIdentityProvider(created.id!, { identityProvider: { verificationKeyIds: [RSA_KEY] } as never })).response
      .identityProvider as ExternalJWTIdentityProvider;
    t.same([patched.defaultKeyId, patched.verificationKeyIds], [RSA_KEY, [RSA_KEY]]);
    await client.deleteIdentityProvider(created.id!);
  });

  t.test('a provider with no key, no header parameter, a bad claim map or a lambda of another type is refused', async (t) => {
    const bare = { type: IdentityProviderType.ExternalJWT, name: 'Bare' } as never;
    const answer = await settle(client.createIdentityProvider(NO_ID, { identityProvider: bare }));
    assertFieldError(t, answer, 'identityProvider.headerKeyParameter', 'blank');
    assertFieldError(t, answer, 'identityProvider.verificationKeyIds', 'blank');
    assertFieldError(
      t,
      await settle(client.createIdentityProvider(NO_ID, { identityProvider: provider({ verificationKeyIds: [UNKNOWN] }) })),
      'identityProvider.verificationKeyIds[0]',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.createIdentityProvider(NO_ID, { identityProvider: provider({ claimMap: { x: 'password' } }) })),
      'identityProvider.claimMap[x]',
      'invalid',
    );
    await client.createLambda(UNKNOWN, { lambda: { name: 'OIDC', type: LambdaType.OpenIDReconcile, body: 'function reconcile(u) {}' } });
    assertFieldError(
      t,
      await settle(client.createIdentityProvider(NO_ID, { identityProvider: provider({ lambdaConfiguration: { reconcileId: UNKNOWN } }) })),
      'identityProvider.lambdaConfiguration.reconcileId',
      'invalid',
    );
    assertGeneralError(
      t,
      await settle(client.createIdentityProvider(NO_ID, { identityProvider: provider({ linkingStrategy: 'CreatePendingLink' }) })),
      '[NotModelled]',
    );
  });

  let userId = '';
  t.test('reconcile creates the user with the claim map, registers it, and answers a token Standin signed', async (t) => {
    const jwt = await sign(issuer.rsa, {
      sub: 'partner-1',
      email: 'dinesh@partner.example',
      given_name: 'Dinesh',
      dept: 'eng',
      company: 'Pied Piper',
    });
    const answer = await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt });
    t.equal(answer.statusCode, 200);
    const { user, token, refreshToken } = answer.response;
    t.equal(user!.email, 'dinesh@partner.example');
    t.equal(user!.firstName, 'Dinesh');
    t.same(user!.data, { dept: 'eng' });
    t.equal(user!.registrations![0]!.applicationId, WEB_APP);
    t.same(user!.registrations![0]!.data, { company: 'Pied Piper' });
    t.ok(refreshToken, 'a refresh token: the application generates them');
    const { payload } = await jwtVerify(token!, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)));
    t.equal(payload.sub, user!.id);
    t.equal(payload.authenticationType, 'FEDERATED_JWT');
    userId = user!.id!;
    const links = (await client.retrieveUserLinksByUserId(PROVIDER, userId)).response.identityProviderLinks!;
    t.equal(links[0]!.identityProviderUserId, 'partner-1');
    const logins = (await client.retrieveUserRecentLogins(userId, 0, 10)).response.logins ?? [];
    t.equal(logins[0]?.applicationId, WEB_APP, 'the login is recorded');
  });

  t.test('a second reconcile finds the same user, and the claim map updates it', async (t) => {
    const jwt = await sign(issuer.rsa, { sub: 'partner-1', email: 'dinesh@partner.example', given_name: 'Dinesh J.', dept: 'ops' });
    const { user } = (await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt })).response;
    t.equal(user!.id, userId);
    t.equal(user!.firstName, 'Dinesh J.');
    t.same(user!.data, { dept: 'ops' });
  });

  t.test('an EC key verifies too, and an existing user is linked by email (data.token)', async (t) => {
    const jwt = await sign(issuer.ec, { sub: 'partner-2', email: 'richard@example.com' }, { alg: 'ES256', kid: 'ec-1' });
    const answer = await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, data: { token: jwt } });
    t.equal(answer.response.user!.id, RICHARD_ID);
  });

  t.test('the Identity Provider Login API completes an External JWT login with data.token', async (t) => {
    const jwt = await sign(issuer.rsa, { sub: 'partner-1', email: 'dinesh@partner.example' });
    const answer = await client.identityProviderLogin({ applicationId: WEB_APP, identityProviderId: PROVIDER, data: { token: jwt } });
    t.equal(answer.statusCode, 200);
    t.equal(answer.response.user!.id, userId);
    assertFieldError(
      t,
      await settle(client.identityProviderLogin({ applicationId: WEB_APP, identityProviderId: PROVIDER, data: {} })),
      'data.token',
      'missing',
    );
  });

  t.test('the ExternalJWTReconcile lambda runs with the JWT’s claims', async (t) => {
    const body = 'function reconcile(user, registration, jwt) { user.data = user.data || {}; user.data.partnerSub = jwt.sub; }';
    await client.createLambda(LAMBDA, { lambda: { name: 'Partner', type: LambdaType.ExternalJWTReconcile, body } });
    await client.patchIdentityProvider(PROVIDER, { identityProvider: { lambdaConfiguration: { reconcileId: LAMBDA } } as never });
    const jwt = await sign(issuer.rsa, { sub: 'partner-1', email: 'dinesh@partner.example' });
    const { user } = (await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt })).response;
    t.equal(user!.data!.partnerSub, 'partner-1');
  });

  t.test('refusals: bad signature, expired, unknown kid, unknown provider, application not enabled, missing fields', async (t) => {
    const other = await issuerKeys();
    const reconcile = (encodedJWT: string, applicationId = WEB_APP, identityProviderId = PROVIDER) =>
      settle(client.reconcileJWT({ applicationId, identityProviderId, encodedJWT }));
    const claims = { sub: 'partner-1', email: 'dinesh@partner.example' };
    assertGeneralError(t, await reconcile(await sign(other.rsa, claims)), '[ExternalAuthenticationException]InvalidJWTSignature', 401);
    assertGeneralError(t, await reconcile(await sign(issuer.rsa, claims, {}, '-1m')), '[ExternalAuthenticationException]JWTExpired', 401);
    assertGeneralError(t, await reconcile(await sign(issuer.rsa, claims, { kid: 'nope' })), '[ExternalAuthenticationException]MissingVerifier', 401);
    assertGeneralError(t, await reconcile('not-a-jwt'), '[ExternalAuthenticationException]InvalidJWT', 401);
    const good = await sign(issuer.rsa, claims);
    assertGeneralError(t, await reconcile(good, WEB_APP, UNKNOWN), '[ExternalAuthenticationException]InvalidIdentityProvider', 401);
    assertGeneralError(t, await reconcile(good, SPA_APP), '[ExternalAuthenticationException]InvalidApplication', 401);
    assertFieldError(t, await settle(client.reconcileJWT({ applicationId: WEB_APP })), 'identityProviderId', 'missing');
  });

  t.test('a JWT with no email to link by is 401 MissingEmail; under Disabled an unlinked user is an empty 404', async (t) => {
    const noEmail = await sign(issuer.rsa, { sub: 'partner-7' });
    assertGeneralError(
      t,
      await settle(client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: noEmail })),
      '[ExternalAuthenticationException]MissingEmail',
      401,
    );
    await client.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'Disabled' } as never });
    t.teardown(() => client.patchIdentityProvider(PROVIDER, { identityProvider: { linkingStrategy: 'LinkByEmail' } as never }));
    const unlinked = await sign(issuer.rsa, { sub: 'partner-8', email: 'gavin@partner.example' });
    assertEmpty(t, await settle(client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: unlinked })), 404);
  });

  t.test('managed domains: a JWT whose email is in another domain is refused', async (t) => {
    await client.patchIdentityProvider(PROVIDER, { identityProvider: { domains: ['partner.example'] } as never });
    const outside = await sign(issuer.rsa, { sub: 'partner-3', email: 'someone@elsewhere.example' });
    assertGeneralError(
      t,
      await settle(client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: outside })),
      '[ExternalAuthenticationException]InvalidJWT',
      401,
    );
    const inside = await sign(issuer.rsa, { sub: 'partner-1', email: 'dinesh@partner.example' });
    t.equal((await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: inside })).statusCode, 200);
    const found = (await client.lookupIdentityProvider('jared@partner.example')).response.identityProvider!;
    t.equal(found.type, 'ExternalJWT', 'the Lookup API answers the provider that manages the domain');
  });

  t.test("exp and nbf hold on Standin's clock, not the wall clock", async (t) => {
    const move = (advanceSeconds: number) =>
      fetch(`${url}/_standin/clock`, {
        method: 'POST',
        headers: { authorization: CLIENT_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds }),
      });
    t.teardown(() => fetch(`${url}/_standin/clock`, { method: 'DELETE', headers: { authorization: CLIENT_API_KEY } }));
    const claims = { sub: 'partner-1', email: 'dinesh@partner.example' };
    const soon = await sign(issuer.rsa, claims, {}, '10m');
    const later = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setNotBefore('1h')
      .setExpirationTime('3h')
      .sign(issuer.rsa);
    const reconcile = (encodedJWT: string) => settle(client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT }));
    assertGeneralError(t, await reconcile(later), '[ExternalAuthenticationException]JWTUnavailableForProcessing', 401);
    await move(7200);
    t.equal((await reconcile(later)).statusCode, 200, 'valid once the clock passes nbf');
    assertGeneralError(t, await reconcile(soon), '[ExternalAuthenticationException]JWTExpired', 401);
  });

  t.test('a key in use by the provider cannot be deleted', async (t) => {
    assertFieldError(t, await settle(client.deleteKey(RSA_KEY)), 'keyId', 'inUse');
  });

  t.test('delete removes it', async (t) => {
    await client.deleteIdentityProvider(PROVIDER);
    assertEmpty(t, await settle(client.retrieveIdentityProvider(PROVIDER)), 404);
  });
});

t.test('an HMAC secret verifies; a tenant-bound key reaches its own tenant only; a reset forgets the provider', async (t) => {
  const OTHER_TENANT = 'e1100000-0000-4000-8000-0000000000e1';
  const OTHER_KEY = 'client-external-jwt-other-tenant-key-0123456789';
  const HMAC_KEY = 'e1100000-0000-4000-8000-0000000000c3';
  const { client, running } = await startClientStandin(t, {
    apiKeys: [{ key: OTHER_KEY, tenantId: OTHER_TENANT }],
    requests: [{ url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } }],
  });
  const secret = 'a shared secret of at least thirty-two bytes, for HS256';
  await client.importKey(HMAC_KEY, { key: { name: 'Partner HMAC', kid: 'hmac-1', algorithm: 'HS256' as never, secret } });
  await client.createIdentityProvider(PROVIDER, { identityProvider: provider({ verificationKeyIds: [HMAC_KEY] }) });
  const jwt = await new SignJWT({ sub: 'partner-h', email: 'hmac@partner.example' })
    .setProtectedHeader({ alg: 'HS256', kid: 'hmac-1' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
  const request = { applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt };
  t.equal((await client.reconcileJWT(request)).statusCode, 200);
  // The application is in the client tenant: a request that names another tenant (the client sends no API key here,
  // only the tenant header) does not reach it, and neither does a raw request with a key bound to another tenant.
  const other = new FusionAuthClient(OTHER_KEY, running.url, OTHER_TENANT);
  assertGeneralError(t, await settle(other.reconcileJWT(request)), '[ExternalAuthenticationException]InvalidApplication', 401);
  const raw = await fetch(`${running.url}/api/jwt/reconcile`, {
    method: 'POST',
    headers: { authorization: OTHER_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  t.equal(raw.status, 401);
  running.reset();
  assertEmpty(t, await settle(client.retrieveIdentityProvider(PROVIDER)), 404);
});

t.test('a kickstart replays the key and provider requests, and both survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-extjwt-');
  const db = join(dir, 'standin.db');
  const issuer = await issuerKeys();
  const kickstart = {
    variables: { defaultTenantId: CLIENT_TENANT_ID },
    apiKeys: [{ key: CLIENT_API_KEY }],
    requests: [
      { url: `/api/application/${WEB_APP}`, body: { application: { name: 'Web' } } },
      { url: `/api/key/import/${RSA_KEY}`, body: { key: { name: 'Partner RSA', kid: 'rsa-1', publicKey: issuer.rsaPublic } } },
      { url: `/api/identity-provider/${PROVIDER}`, body: { identityProvider: provider({ verificationKeyIds: [RSA_KEY] }) } },
    ],
  };
  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db, kickstart });
  t.same(first.app.seedReport.ignored, [], 'nothing of the kickstart was ignored');
  const jwt = await sign(issuer.rsa, { sub: 'partner-9', email: 'jared@partner.example' });
  const created = await new FusionAuthClient(CLIENT_API_KEY, first.url).reconcileJWT({
    applicationId: WEB_APP,
    identityProviderId: PROVIDER,
    encodedJWT: jwt,
  });
  await first.close();
  const second = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', db });
  t.teardown(() => second.close());
  const client = new FusionAuthClient(CLIENT_API_KEY, second.url);
  t.equal((await client.retrieveIdentityProvider(PROVIDER)).response.identityProvider!.type, 'ExternalJWT');
  const again = await client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt });
  t.equal(again.response.user!.id, created.response.user!.id);
});

t.test("a reconciled login meets the tenant's login validation lambda", async (t) => {
  const { client } = await startClientStandin(t);
  const issuer = await issuerKeys();
  await importKeys(client, issuer);
  await client.createIdentityProvider(PROVIDER, { identityProvider: provider() });
  const body = `function validate(result, user, registration, context) {
  if (user.email.indexOf('blocked') === 0) {
    result.errors.generalErrors = [{ code: '[Blocked]', message: context.authenticationType + ' ' + context.identityProvider.identityProviderType }];
  }
}`;
  await client.createLambda(LAMBDA, { lambda: { name: 'Block', type: LambdaType.LoginValidation, body } });
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: LAMBDA } } });
  const reconcile = async (email: string) =>
    settle(
      client.reconcileJWT({
        applicationId: WEB_APP,
        identityProviderId: PROVIDER,
        encodedJWT: await sign(issuer.rsa, { sub: email, email, email_verified: true }),
      }),
    );
  const refused = await reconcile('blocked@partner.example');
  t.equal(refused.statusCode, 400);
  t.same(refused.exception, { fieldErrors: {}, generalErrors: [{ code: '[Blocked]', message: 'FEDERATED_JWT ExternalJWT' }] });
  const allowed = await reconcile('welcome@partner.example');
  t.equal(allowed.statusCode, 200);
  t.ok(allowed.response.token);
});
