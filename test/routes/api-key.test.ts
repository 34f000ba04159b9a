import { createPublicKey } from 'node:crypto';
import t from 'tap';
import type { StandinApp } from '../../src/app.js';
import { apiClient, assertEmpty, assertFieldError, buildEmptyApp, T0, TENANT_ID, UUID } from '../helpers/fixtures.js';

const KEY_ID = 'aaaaaaaa-1111-4000-8000-000000000001';
const APP_ID = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const PEM = /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/;

function storedPrivateKeys(app: StandinApp): string[] {
  return (app.standin.stores.db.prepare('SELECT private_key AS v FROM keys').all() as { v: string }[]).map((row) => row.v);
}

t.test('POST /api/key/generate/{id} makes an RS256 key and shows only its public part', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const response = await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'RS256', name: 'RSA key', length: 2048 } });
  t.equal(response.status, 200);
  t.match(response.raw.headers['content-type'], /^application\/json/);
  const { key } = response.body;
  t.match(key, { id: KEY_ID, name: 'RSA key', algorithm: 'RS256', type: 'RSA', length: 2048, insertInstant: T0 });
  // FusionAuth's asymmetric kids: a base64url SHA-1 (27 characters).
  t.match(key.kid, /^[A-Za-z0-9_-]{27}$/);
  t.match(key.publicKey, PEM);
  const publicKey = createPublicKey(key.publicKey);
  t.equal(publicKey.asymmetricKeyType, 'rsa');
  t.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.same(Object.keys(key).sort(), [
    'algorithm',
    'certificate',
    'expirationInstant',
    'hasPrivateKey',
    'id',
    'insertInstant',
    'issuer',
    'kid',
    'lastUpdateInstant',
    'length',
    'name',
    'publicKey',
    'type',
  ]);
  t.match(key.certificate, /^-----BEGIN CERTIFICATE-----/, 'with its self-signed certificate');
  t.match(storedPrivateKeys(app).at(-1), /^-----BEGIN PRIVATE KEY-----/, 'the private key is kept server-side');
  t.same((await api('GET', `/api/key/${KEY_ID}`)).body, { key });
});

t.test('POST /api/key/generate makes an ES256 key on P-256', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const response = await api('POST', '/api/key/generate', { key: { algorithm: 'ES256', name: 'EC key' } });
  t.equal(response.status, 200);
  const { key } = response.body;
  t.match(key.id, UUID);
  t.match(key, { name: 'EC key', algorithm: 'ES256', type: 'EC', length: 256 });
  t.match(key.kid, /^[A-Za-z0-9_-]{27}$/);
  t.match(key.publicKey, PEM);
  const publicKey = createPublicKey(key.publicKey);
  t.equal(publicKey.asymmetricKeyType, 'ec');
  t.equal(publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
});

t.test('an HS256 key has a kid and a length but no public key, and its secret never leaves', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const response = await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'HS256', name: 'HMAC key' } });
  t.equal(response.status, 200);
  const { key } = response.body;
  t.match(key, { id: KEY_ID, algorithm: 'HS256', type: 'HMAC', length: 256 });
  t.match(key.kid, /^[0-9a-f]{10}$/);
  t.notOk('publicKey' in key, 'no publicKey');
  t.same(Object.keys(key).sort(), ['algorithm', 'id', 'insertInstant', 'kid', 'lastUpdateInstant', 'length', 'name', 'type']);
  const secret = storedPrivateKeys(app).at(-1)!;
  t.equal(Buffer.from(secret, 'base64').length, 32);
  for (const url of [`/api/key/${KEY_ID}`, '/api/key']) {
    const read = await api('GET', url);
    t.equal(read.status, 200);
    t.notOk(read.raw.body.includes(secret), `${url} does not show the secret`);
  }
  assertEmpty(t, await api('GET', `/api/jwt/public-key?kid=${key.kid}`), 404);
});

t.test('no key response and no public-key response holds private key material', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const kids: string[] = [];
  for (const [algorithm, name] of [
    ['RS256', 'r'],
    ['ES256', 'e'],
    ['HS256', 'h'],
  ]) {
    const response = await api('POST', '/api/key/generate', { key: { algorithm, name } });
    t.equal(response.status, 200);
    kids.push(response.body.key.kid);
  }
  const privates = storedPrivateKeys(app);
  t.equal(privates.length, 4, 'the default signing key and three more');
  const bodies = [
    (await api('GET', '/api/key')).raw.body,
    ...(await Promise.all(
      (await api('GET', '/api/key')).body.keys.map(async (key: { id: string }) => (await api('GET', `/api/key/${key.id}`)).raw.body),
    )),
    (await app.inject({ method: 'GET', url: '/api/jwt/public-key' })).body,
    ...(await Promise.all(kids.map(async (kid) => (await app.inject({ method: 'GET', url: `/api/jwt/public-key?kid=${kid}` })).body))),
  ];
  t.equal(bodies.length, 12, 'four stored keys and three built-in ones');
  for (const body of bodies) {
    t.notMatch(body, /PRIVATE KEY|"privateKey"|"secret"/);
    for (const secret of privates) {
      const material = secret.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
      t.notOk(body.replace(/\\n|\s/g, '').includes(material), 'no stored private key in the body');
    }
  }
  const listed = (await api('GET', '/api/key')).body.keys;
  t.equal(listed.length, 7);
  t.same(
    listed.filter((key: { type: string }) => key.type !== 'HMAC').every((key: { publicKey: string }) => PEM.test(key.publicKey)),
    true,
  );
});

t.test('GET /api/jwt/public-key gives the PEM of an asymmetric key by kid and by application', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  const { key } = (await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'ES256', name: 'EC key' } })).body;
  const byKid = await app.inject({ method: 'GET', url: `/api/jwt/public-key?kid=${encodeURIComponent(key.kid)}` });
  t.equal(byKid.statusCode, 200);
  t.same(byKid.json(), { publicKey: key.publicKey });

  await api('POST', `/api/application/${APP_ID}`, { application: { name: 'App', jwtConfiguration: { enabled: true, accessTokenKeyId: KEY_ID } } });
  const byApplication = await app.inject({ method: 'GET', url: `/api/jwt/public-key?applicationId=${APP_ID}` });
  t.equal(byApplication.statusCode, 200);
  t.same(byApplication.json(), { publicKey: key.publicKey });

  const all = await app.inject({ method: 'GET', url: '/api/jwt/public-key' });
  t.equal(all.json().publicKeys[key.kid], key.publicKey);
  t.equal(Object.keys(all.json().publicKeys).length, 2);
});

t.test('GET /api/key lists every key, GET /api/key/{id} answers 404 for an unknown one', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const before = (await api('GET', '/api/key')).body.keys;
  t.equal(before.length, 4, "the default signing key, then FusionAuth's three built-in OpenID Connect keys");
  t.match(before[0], { algorithm: 'RS256', type: 'RSA', length: 2048 });
  const builtIns = ['092dbedc-30af-4149-9c61-b578f2c72f59', '4b8f1c06-518e-45bd-9ac5-d549686ae02a', 'c753a44d-7f2e-48d3-bc4e-c2c16488a23b'];
  t.same(
    before.slice(1).map((key: { id: string }) => key.id),
    builtIns,
  );
  await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'HS256', name: 'HMAC key' } });
  t.same(
    (await api('GET', '/api/key')).body.keys.map((key: { id: string }) => key.id),
    [before[0].id, ...builtIns, KEY_ID],
  );
  assertEmpty(t, await api('GET', '/api/key/dddddddd-0000-4000-8000-000000000004'), 404);
});

t.test('key requests are checked: algorithm, name, RSA length, duplicate id and name', async (t) => {
  const app = await buildEmptyApp(t);
  const api = apiClient(t, app);
  assertFieldError(t, await api('POST', '/api/key/generate', { key: { algorithm: 'RS1024', name: 'x' } }), 'key.algorithm', 'invalid');
  assertFieldError(t, await api('POST', '/api/key/generate', { key: { algorithm: 'HS256' } }), 'key.name', 'blank');
  assertFieldError(t, await api('POST', '/api/key/generate', { key: { algorithm: 'RS256', name: 'x', length: 1024 } }), 'key.length', 'invalid');
  assertFieldError(t, await api('POST', '/api/key/generate', {}), 'key', 'blank');
  t.equal((await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'HS256', name: 'taken' } })).status, 200);
  assertFieldError(t, await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'HS256', name: 'other' } }), 'keyId', 'duplicate');
  assertFieldError(t, await api('POST', '/api/key/generate', { key: { algorithm: 'HS256', name: 'taken' } }), 'key.name', 'duplicate');
  t.equal(storedPrivateKeys(app).length, 2, 'nothing stored for the refused requests');
});

t.test('DELETE removes an unused key', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'HS256', name: 'HMAC key' } });
  assertEmpty(t, await api('DELETE', `/api/key/${KEY_ID}`), 200);
  assertEmpty(t, await api('GET', `/api/key/${KEY_ID}`), 404);
  assertEmpty(t, await api('DELETE', `/api/key/${KEY_ID}`), 404);
});

t.test('deleting a key a tenant signs with is refused with 400 [inUse]keyId', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  const keyId = (await api('GET', `/api/tenant/${TENANT_ID}`)).body.tenant.jwtConfiguration.accessTokenKeyId;
  t.match(keyId, UUID);
  assertFieldError(t, await api('DELETE', `/api/key/${keyId}`), 'keyId', 'inUse');
  t.equal((await api('GET', `/api/key/${keyId}`)).status, 200);
});

t.test('deleting a key an application signs with is refused with 400 [inUse]keyId, and allowed once it is released', async (t) => {
  const api = apiClient(t, await buildEmptyApp(t));
  await api('POST', `/api/key/generate/${KEY_ID}`, { key: { algorithm: 'ES256', name: 'EC key' } });
  const created = await api('POST', `/api/application/${APP_ID}`, {
    application: { name: 'App', jwtConfiguration: { enabled: true, idTokenKeyId: KEY_ID } },
  });
  t.equal(created.status, 200);
  assertFieldError(t, await api('DELETE', `/api/key/${KEY_ID}`), 'keyId', 'inUse');
  t.equal((await api('GET', `/api/key/${KEY_ID}`)).status, 200);
  t.equal((await api('PATCH', `/api/application/${APP_ID}`, { application: { jwtConfiguration: { idTokenKeyId: null } } })).status, 200);
  assertEmpty(t, await api('DELETE', `/api/key/${KEY_ID}`), 200);
});
