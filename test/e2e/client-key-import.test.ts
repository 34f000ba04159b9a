import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { failureOf, RICHARD_LOGIN, startClientStandin, statusOf, WEB_APP } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Import Key API (https://fusionauth.io/docs/apis/keys, "Import a Key") and its Update (name only).
// Key material is made here, never committed.

const API_KEY = 'key-import-api-key-0123456789-0123456789';
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';
const APP = 'a1b2c3d4-0000-4000-8000-00000000aa02';
const SECRET = 'key-import-client-secret-0123456789';
const USER = 'a1b2c3d4-0000-4000-8000-00000000aa03';
const RSA_KEY = 'a1b2c3d4-0000-4000-8000-00000000aa04';

const pem = (pair: { publicKey: { export(o: object): string | Buffer }; privateKey: { export(o: object): string | Buffer } }) => ({
  publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
});
const rsa = (bits = 2048) => pem(generateKeyPairSync('rsa', { modulusLength: bits }));
const ec = (namedCurve: string) => pem(generateKeyPairSync('ec', { namedCurve }));

/**
 * A kickstart that imports a fixed RSA key, its PEM files included with `@{file}` (docs/kickstart.md, "A fixed signing
 * key"), and has an application sign its access and id tokens with it.
 */
function kickstartImporting(): Kickstart {
  return {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'POST',
        url: `/api/key/import/${RSA_KEY}`,
        body: {
          key: {
            algorithm: 'RS256',
            name: 'Imported RSA',
            kid: 'imported-rsa-1',
            publicKey: '@{signing-key.pub.pem}',
            privateKey: '@{signing-key.pem}',
          },
        },
      },
      {
        method: 'POST',
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Imported key app',
            oauthConfiguration: {
              clientSecret: SECRET,
              enabledGrants: ['password', 'refresh_token'],
              generateRefreshTokens: true,
            },
            loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
            jwtConfiguration: { enabled: true, accessTokenKeyId: RSA_KEY, idTokenKeyId: RSA_KEY },
          },
        },
      },
      {
        method: 'POST',
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'imported@example.com', password: 'password' }, registration: { applicationId: APP } },
      },
    ],
  };
}

t.test('a kickstart imports an RSA key; logins and refreshes sign with it, also after a restart on a file database', async (t) => {
  const dir = temporaryFolder(t, 'standin-key-import-');
  const pair = rsa();
  writeFileSync(join(dir, 'signing-key.pub.pem'), pair.publicKey);
  writeFileSync(join(dir, 'signing-key.pem'), pair.privateKey);
  writeFileSync(join(dir, 'kickstart.json'), JSON.stringify(kickstartImporting()));
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    kickstart: join(dir, 'kickstart.json'),
  };
  const publicKey = await importSPKI(pair.publicKey, 'RS256');

  const first = await startStandin(options);
  t.same(first.app.seedReport.ignored, [], 'the import was replayed, not ignored');
  const client = new FusionAuthClient(API_KEY, first.url);
  const login = (await client.login({ loginId: 'imported@example.com', password: 'password', applicationId: APP })).response;
  const verified = await jwtVerify(login.token!, publicKey, { issuer: first.issuer, audience: APP });
  t.equal(verified.protectedHeader.kid, 'imported-rsa-1', 'the header names the imported kid');
  t.equal(verified.protectedHeader.alg, 'RS256');
  const refreshed = (await client.exchangeRefreshTokenForJWT({ refreshToken: login.refreshToken! })).response;
  await jwtVerify(refreshed.token!, publicKey, { issuer: first.issuer });

  const grant = (await client.exchangeUserCredentialsForAccessToken('imported@example.com', 'password', APP, SECRET, 'openid offline_access', ''))
    .response;
  await jwtVerify(grant.id_token!, publicKey, { issuer: first.issuer, audience: APP });
  const byRefresh = (await client.exchangeRefreshTokenForAccessToken(grant.refresh_token!, APP, SECRET, '', '')).response;
  await jwtVerify(byRefresh.access_token!, publicKey, { issuer: first.issuer });
  // Through the JWKS, as a resource server verifies.
  await jwtVerify(byRefresh.access_token!, createRemoteJWKSet(new URL(`${first.url}/.well-known/jwks.json`)), { issuer: first.issuer });
  const jwks = (await client.retrieveJsonWebKeySet()).response.keys!;
  const jwk = jwks.find((entry) => entry.kid === 'imported-rsa-1');
  t.ok(jwk, 'the JWKS carries the imported kid');
  t.equal(jwk!.alg, 'RS256');
  t.equal((jwk as Record<string, unknown>).n, createPublicKey(pair.publicKey).export({ format: 'jwk' }).n);

  const key = (await client.retrieveKey(RSA_KEY)).response.key!;
  t.match(key, { id: RSA_KEY, name: 'Imported RSA', algorithm: 'RS256', type: 'RSA', kid: 'imported-rsa-1', length: 2048, hasPrivateKey: true });
  t.equal(key.publicKey, pair.publicKey, 'the public key as imported');
  t.notOk('privateKey' in key, 'the private key never leaves');
  await first.close();

  const again = await startStandin(options);
  t.teardown(() => again.close());
  const afterRestart = (
    await new FusionAuthClient(API_KEY, again.url).login({ loginId: 'imported@example.com', password: 'password', applicationId: APP })
  ).response;
  t.equal((await jwtVerify(afterRestart.token!, publicKey)).protectedHeader.kid, 'imported-rsa-1', 'the key survived the restart');
});

t.test('an imported public key verifies and cannot sign: JWKS yes, jwtConfiguration and vend no', async (t) => {
  const { url, client } = await startClientStandin(t);
  const pair = rsa();
  const id = 'a1b2c3d4-0000-4000-8000-00000000bb01';
  const key = (await client.importKey(id, { key: { name: 'Partner public key', publicKey: pair.publicKey } })).response.key!;
  t.match(key, { id, type: 'RSA', algorithm: 'RS256', length: 2048, hasPrivateKey: false });
  t.match(key.kid, /^[A-Za-z0-9_-]{27}$/, 'a kid made from the public key, as for a generated key');
  t.equal(key.publicKey, pair.publicKey);
  t.notOk(key.certificate, 'no certificate can be made without the private key');

  const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  t.ok(
    jwks.keys.some((jwk) => jwk.kid === key.kid),
    'published in the JWKS',
  );
  t.equal((await client.retrieveJWTPublicKey(key.kid!)).response.publicKey, pair.publicKey, '/api/jwt/public-key?kid= answers it');

  for (const field of ['accessTokenKeyId', 'idTokenKeyId'] as const) {
    const refused = await failureOf(client.patchApplication(WEB_APP, { application: { jwtConfiguration: { enabled: true, [field]: id } } }));
    t.equal(refused.statusCode, 400);
    t.match(Object.keys(refused.exception.fieldErrors), [`application.jwtConfiguration.${field}`], `${field}: refused for an application`);
    t.equal(refused.exception.fieldErrors[`application.jwtConfiguration.${field}`][0].code, `[invalid]application.jwtConfiguration.${field}`);
  }
  const tenantId = (await client.retrieveTenants()).response.tenants![0]!.id!;
  const tenant = await failureOf(client.patchTenant(tenantId, { tenant: { jwtConfiguration: { accessTokenKeyId: id } } }));
  t.equal(tenant.exception.fieldErrors['tenant.jwtConfiguration.accessTokenKeyId'][0].code, '[invalid]tenant.jwtConfiguration.accessTokenKeyId');
  const vend = await failureOf(client.vendJWT({ claims: { sub: 'x' }, keyId: id }));
  t.equal(vend.exception.fieldErrors.keyId[0].code, '[invalid]keyId', 'vend refuses a key that cannot sign');
  const webhook = await failureOf(
    client.createWebhook('a1b2c3d4-0000-4000-8000-00000000bb02', {
      webhook: { url: 'http://127.0.0.1/hook', connectTimeout: 1000, readTimeout: 1000, signatureConfiguration: { enabled: true, signingKeyId: id } },
    }),
  );
  t.equal(
    webhook.exception.fieldErrors['webhook.signatureConfiguration.signingKeyId'][0].code,
    '[invalid]webhook.signatureConfiguration.signingKeyId',
    'a webhook cannot sign with it',
  );
  // Logins still sign with the application's own key.
  const login = (await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP })).response;
  t.not(decodeProtectedHeader(login.token!).kid, key.kid);
});

t.test('an HMAC secret is imported as given: tokens verify with its UTF-8 bytes, and it is never shown', async (t) => {
  const { issuer, client } = await startClientStandin(t);
  const secret = 'a shared secret of at least thirty-two bytes, é';
  const id = 'a1b2c3d4-0000-4000-8000-00000000cc01';
  const key = (await client.importKey(id, { key: { name: 'Shared', algorithm: 'HS256' as never, type: 'HMAC' as never, secret } })).response.key!;
  t.match(key, { id, type: 'HMAC', algorithm: 'HS256' });
  t.match(key.kid, /^[0-9a-f]{10}$/);
  t.notOk('secret' in key);
  t.notOk('hasPrivateKey' in key, 'omitted for HMAC keys, as FusionAuth does');
  await client.patchApplication(WEB_APP, { application: { jwtConfiguration: { enabled: true, accessTokenKeyId: id } } });
  const login = (await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP })).response;
  const verified = await jwtVerify(login.token!, new TextEncoder().encode(secret), { issuer });
  t.equal(verified.protectedHeader.kid, key.kid);
  t.equal((await client.validateJWT(login.token!)).statusCode, 200, 'Standin validates its own token');
  const withoutId = (await client.importKey(undefined as never, { key: { name: 'Random id', algorithm: 'HS512' as never, secret: `${secret}!` } }))
    .response.key!;
  t.match(withoutId.id, /^[0-9a-f-]{36}$/, 'POST /api/key/import makes the id');
  t.equal((await client.retrieveKey(withoutId.id!)).response.key!.name, 'Random id');
  const blank = await failureOf(client.importKey('a1b2c3d4-0000-4000-8000-00000000cc02', { key: { name: 'No algorithm', secret } }));
  t.equal(blank.exception.fieldErrors['key.algorithm'][0].code, '[blank]key.algorithm', 'HS256, 384 or 512: nothing says which');
});

t.test('EC keys: the algorithm comes from the curve, the public key from the private key', async (t) => {
  const { client } = await startClientStandin(t);
  const pair = ec('P-384');
  const key = (await client.importKey('a1b2c3d4-0000-4000-8000-00000000dd01', { key: { name: 'EC private only', privateKey: pair.privateKey } }))
    .response.key!;
  t.match(key, { type: 'EC', algorithm: 'ES384', length: 384, hasPrivateKey: true });
  t.equal(key.publicKey, pair.publicKey, 'derived from the private key');
  t.match(key.certificate, /^-----BEGIN CERTIFICATE-----/, 'a key pair gets its self-signed certificate, as a generated one');
  await client.patchApplication(WEB_APP, { application: { jwtConfiguration: { enabled: true, accessTokenKeyId: key.id! } } });
  const login = (await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP })).response;
  await jwtVerify(login.token!, await importSPKI(pair.publicKey, 'ES384'), { algorithms: ['ES384'] });
});

t.test('a certificate is imported with its public key, expiry and issuer', async (t) => {
  const { client } = await startClientStandin(t);
  const generated = (await client.generateKey('a1b2c3d4-0000-4000-8000-00000000ee01', { key: { algorithm: 'ES256' as never, name: 'Source' } }))
    .response.key!;
  const id = 'a1b2c3d4-0000-4000-8000-00000000ee02';
  // The same public key makes the same kid: a second kid must be given.
  const twice = await failureOf(client.importKey(id, { key: { name: 'Certificate', certificate: generated.certificate! } }));
  t.equal(twice.exception.fieldErrors['key.kid'][0].code, '[duplicate]key.kid');
  const key = (await client.importKey(id, { key: { name: 'Certificate', kid: 'cert-kid', certificate: generated.certificate! } })).response.key!;
  t.match(key, {
    type: 'EC',
    algorithm: 'ES256',
    kid: 'cert-kid',
    hasPrivateKey: false,
    publicKey: generated.publicKey,
    certificate: generated.certificate,
    expirationInstant: generated.expirationInstant,
    issuer: generated.issuer,
  });
});

t.test('import refusals in FusionAuth’s error shape, and nothing stored', async (t) => {
  const { app, client } = await startClientStandin(t);
  const count = () => (app.standin.stores.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n;
  const before = count();
  const pair = rsa();
  const refused = async (
    request: Record<string, unknown>,
    field: string,
    code: string,
    label: string,
    id = 'a1b2c3d4-0000-4000-8000-00000000ff01',
  ) => {
    const failure = await failureOf(client.importKey(id, { key: request }));
    t.equal(failure.statusCode, 400, label);
    t.equal(failure.exception.fieldErrors?.[field]?.[0]?.code, `[${code}]${field}`, label);
    t.notOk(JSON.stringify(failure.exception).includes('PRIVATE KEY'), `${label}: no key material in the answer`);
  };
  await refused({ publicKey: pair.publicKey }, 'key.name', 'blank', 'no name');
  await refused({ name: 'Default signing key', publicKey: pair.publicKey }, 'key.name', 'duplicate', 'a name taken by the default key');
  await refused({ name: 'Garbage', publicKey: 'not a key' }, 'key.publicKey', 'invalid', 'not a PEM');
  await refused({ name: 'Private as public', publicKey: pair.privateKey }, 'key.publicKey', 'invalid', 'a private key in publicKey');
  await refused(
    { name: 'Mismatch', publicKey: rsa().publicKey, privateKey: pair.privateKey },
    'key.publicKey',
    'invalid',
    'a public key of another pair',
  );
  await refused({ name: 'Short', algorithm: 'RS256', privateKey: rsa(1024).privateKey }, 'key.privateKey', 'invalid', 'a 1024-bit key cannot sign');
  await refused({ name: 'Wrong curve', algorithm: 'ES256', privateKey: ec('P-384').privateKey }, 'key.algorithm', 'invalid', 'ES256 needs P-256');
  await refused({ name: 'Wrong type', algorithm: 'ES256', publicKey: pair.publicKey }, 'key.algorithm', 'invalid', 'an EC algorithm for an RSA key');
  await refused({ name: 'Nothing', algorithm: 'RS256' }, 'key.publicKey', 'blank', 'no key material');
  await refused({ name: 'Bad algorithm', algorithm: 'RS999', publicKey: pair.publicKey }, 'key.algorithm', 'invalid', 'an unknown algorithm');
  await refused({ name: 'HMAC no secret', algorithm: 'HS256' }, 'key.secret', 'blank', 'an HMAC key with no secret');
  const defaultKey = (await client.retrieveKeys()).response.keys![0]!;
  await refused({ name: 'Taken id', publicKey: pair.publicKey }, 'keyId', 'duplicate', 'an id taken', defaultKey.id);
  await refused({ name: 'Taken kid', kid: defaultKey.kid, publicKey: pair.publicKey }, 'key.kid', 'duplicate', 'a kid taken');
  const eddsa = await failureOf(client.importKey('a1b2c3d4-0000-4000-8000-00000000ff02', { key: { name: 'Ed', algorithm: 'Ed25519' as never } }));
  t.equal(eddsa.exception.generalErrors[0].code, '[NotModelled]', 'EdDSA keys are not modelled');
  t.equal(count(), before, 'no key was stored');
  // A 1024-bit RSA public key is FusionAuth's too, for verifying only.
  const small = (await client.importKey('a1b2c3d4-0000-4000-8000-00000000ff03', { key: { name: 'Small', publicKey: rsa(1024).publicKey } })).response
    .key!;
  t.match(small, { length: 1024, hasPrivateKey: false });
});

t.test('updating a key changes its name and nothing else', async (t) => {
  const { client, app } = await startClientStandin(t);
  const pair = rsa();
  const id = 'a1b2c3d4-0000-4000-8000-00000000ab01';
  const imported = (
    await client.importKey(id, { key: { name: 'Before', kid: 'kid-before', publicKey: pair.publicKey, privateKey: pair.privateKey } })
  ).response.key!;
  const other = rsa();
  const updated = (
    await client.updateKey(id, {
      key: { name: 'After', kid: 'kid-after', algorithm: 'RS512' as never, publicKey: other.publicKey, privateKey: other.privateKey },
    })
  ).response.key!;
  t.match(updated, { id, name: 'After', kid: 'kid-before', algorithm: 'RS256', publicKey: pair.publicKey, insertInstant: imported.insertInstant });
  t.ok(updated.lastUpdateInstant! >= imported.insertInstant!, 'lastUpdateInstant moves');
  t.equal((await client.retrieveKey(id)).response.key!.name, 'After', 'stored');
  const stored = app.standin.stores.keys.get(id)!;
  t.equal(stored.privateKey, pair.privateKey, 'the private key is the imported one still');

  const duplicate = await failureOf(client.updateKey(id, { key: { name: 'Default signing key' } }));
  t.equal(duplicate.exception.fieldErrors['key.name'][0].code, '[duplicate]key.name');
  const blank = await failureOf(client.updateKey(id, { key: { name: '' } }));
  t.equal(blank.exception.fieldErrors['key.name'][0].code, '[blank]key.name');
  t.equal((await client.updateKey(id, { key: { name: 'After' } })).statusCode, 200, 'its own name again is no duplicate');
  t.equal(await statusOf(client.updateKey('a1b2c3d4-0000-4000-8000-00000000ab02', { key: { name: 'Nobody' } })), 404);
  const builtIn = await failureOf(client.updateKey('092dbedc-30af-4149-9c61-b578f2c72f59', { key: { name: 'Renamed' } }));
  t.equal(builtIn.exception.fieldErrors.keyId[0].code, '[invalid]keyId', 'a built-in key cannot be changed');
});
