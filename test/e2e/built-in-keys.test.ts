import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { BUILT_IN_OBJECT_IDS } from '../../src/kickstart/built-in-variables.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { failureOf } from '../helpers/fixtures.js';

// A kickstart shaped like real FusionAuth projects': the tenant's id tokens are signed by FusionAuth's built-in
// HS256 OpenID Connect key (the application's client secret), and objects name the default lambdas and forms.
const KICKSTART = fileURLToPath(new URL('../fixtures/shadow-key/kickstart.json', import.meta.url));
const { variables } = JSON.parse(readFileSync(KICKSTART, 'utf8')) as { variables: Record<string, string> };
const HS256 = '092dbedc-30af-4149-9c61-b578f2c72f59';
const HS384 = '4b8f1c06-518e-45bd-9ac5-d549686ae02a';
const HS512 = 'c753a44d-7f2e-48d3-bc4e-c2c16488a23b';
const CALLBACK = 'http://localhost:3000/callback';

t.test('a kickstart that signs id tokens with the HS256 built-in key boots and logs a user in', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: KICKSTART });
  t.teardown(() => standin.close());
  const fusionauth = new FusionAuthClient(variables.apiKey!, standin.url);

  t.test('the tenant names the built-in key; the kickstart variables resolved', async (t) => {
    const tenant = (await fusionauth.retrieveTenant(variables.defaultTenantId!)).response.tenant!;
    t.equal(tenant.jwtConfiguration!.idTokenKeyId, HS256);
    const application = (await fusionauth.retrieveApplication(variables.applicationId!)).response.application!;
    t.same(application.data, {
      adminUserFormId: BUILT_IN_OBJECT_IDS['FUSIONAUTH_FORM[adminUser]_ID'],
      adminRegistrationFormId: BUILT_IN_OBJECT_IDS['FUSIONAUTH_FORM[adminRegistration]_ID'],
      tenantManager: BUILT_IN_OBJECT_IDS.TENANT_MANAGER_ID,
    });
  });

  t.test('retrieveKeys lists the built-in keys as FusionAuth does; they cannot be deleted', async (t) => {
    const { keys } = (await fusionauth.retrieveKeys()).response;
    const names = Object.fromEntries(keys!.map((key) => [key.id, key]));
    for (const [id, algorithm, bits] of [
      [HS256, 'HS256', '256'],
      [HS384, 'HS384', '384'],
      [HS512, 'HS512', '512'],
    ] as const) {
      t.match(names[id], { id, algorithm, type: 'HMAC', name: `OpenID Connect compliant HMAC using SHA-${bits}` });
      t.notOk(names[id]!.secret, 'no secret shown');
      t.notOk(names[id]!.publicKey);
      t.type(names[id]!.insertInstant, 'number');
    }
    t.same((await fusionauth.retrieveKey(HS384)).response.key!.name, 'OpenID Connect compliant HMAC using SHA-384');
    const refused = await failureOf(fusionauth.deleteKey(HS256));
    t.equal(refused.statusCode, 400);
    t.ok(refused.exception.fieldErrors.keyId);
    t.equal((await fusionauth.retrieveKey(HS256)).statusCode, 200, 'still there');
    const duplicate = await failureOf(fusionauth.generateKey(HS512, { key: { algorithm: 'RS256' as never, name: 'mine' } }));
    t.equal(duplicate.statusCode, 400, 'its id is taken');
  });

  t.test('a built-in key cannot sign access tokens', async (t) => {
    const refused = await failureOf(
      fusionauth.patchTenant(variables.defaultTenantId!, { tenant: { jwtConfiguration: { accessTokenKeyId: HS256 } } }),
    );
    t.equal(refused.statusCode, 400);
    t.ok(refused.exception.fieldErrors['tenant.jwtConfiguration.accessTokenKeyId']);
    t.equal((await failureOf(fusionauth.vendJWT({ claims: { sub: 'x' }, keyId: HS256 }))).statusCode, 400);
  });

  t.test('openid-client validates the HS256 id token with the client secret; the access token is RS256; JWKS has no HMAC key', async (t) => {
    const config = await client.discovery(
      new URL(standin.url),
      variables.applicationId!,
      { client_secret: variables.clientSecret!, id_token_signed_response_alg: 'HS256' },
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid offline_access email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    });
    const login = await createHttpBrowser().authorize(url.href, { loginId: variables.userEmail!, password: variables.userPassword! });
    const tokens = await client.authorizationCodeGrant(config, new URL(login.location), { pkceCodeVerifier: verifier, expectedNonce: nonce });
    t.equal(decodeProtectedHeader(tokens.id_token!).alg, 'HS256');
    t.equal(tokens.claims()!.email, variables.userEmail, 'openid-client accepted the id token');
    // The id token verifies with the client secret and nothing else.
    await jwtVerify(tokens.id_token!, new TextEncoder().encode(variables.clientSecret), { algorithms: ['HS256'] });
    await t.rejects(jwtVerify(tokens.id_token!, new TextEncoder().encode('another-secret-0123456789abcdef0123'), { algorithms: ['HS256'] }));

    const access = decodeProtectedHeader(tokens.access_token);
    t.equal(access.alg, 'RS256');
    const tenant = (await fusionauth.retrieveTenant(variables.defaultTenantId!)).response.tenant!;
    const accessKey = (await fusionauth.retrieveKey(tenant.jwtConfiguration!.accessTokenKeyId!)).response.key!;
    t.equal(access.kid, accessKey.kid, 'signed by the tenant’s access token key');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`)));
    t.equal(payload.aud, variables.applicationId);

    const jwks = (await (await fetch(`${standin.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kty: string; kid: string }> };
    t.notOk(
      jwks.keys.some((key) => key.kty === 'oct'),
      'no symmetric key in the JWKS',
    );
    const builtInKids = (await fusionauth.retrieveKeys()).response.keys!.filter((key) => key.type === 'HMAC').map((key) => key.kid);
    t.notOk(jwks.keys.some((key) => builtInKids.includes(key.kid)));
    const { publicKeys } = (await fusionauth.retrieveJWTPublicKeys()).response;
    t.notOk(
      Object.keys(publicKeys!).some((kid) => builtInKids.includes(kid)),
      'nor among /api/jwt/public-key',
    );

    // The id token still works as an id_token_hint at logout (OpenID Connect RP-Initiated Logout §2).
    const logout = await fetch(`${standin.url}/oauth2/logout?id_token_hint=${tokens.id_token}`, { redirect: 'manual' });
    t.equal(logout.status, 302);
  });
});
