import t from 'tap';
import { endpointPermissions, keyAllows, keyCovers, type ApiKey } from '../../src/model/api-key.js';

// The rules of model/api-key.ts the API Key API rests on: who calls it, what a key may reach, and how
// permissions are read (FusionAuth's API Key API and API authentication docs).
const NOW = 1_800_000_000_000;
const key = (fields: Partial<ApiKey> = {}): ApiKey => ({ id: 'k', insertInstant: 0, ...fields });
const users = { endpoints: { '/api/user': ['GET'] } };

t.test('only a live key manager calls /api/api-key, whatever endpoints it lists', async (t) => {
  t.ok(keyAllows(key({ keyManager: true }), '/api/api-key', 'POST', NOW));
  t.ok(keyAllows(key({ keyManager: true, permissions: users }), '/api/api-key', 'DELETE', NOW), 'limited to /api/user');
  t.ok(keyAllows(key({ keyManager: true, tenantId: 'x' }), '/api/api-key', 'GET', NOW), 'bound to a tenant');
  t.notOk(keyAllows(key(), '/api/api-key', 'GET', NOW), 'unlimited, but no key manager');
  t.notOk(keyAllows(key({ permissions: { endpoints: { '/api/api-key': ['GET'] } } }), '/api/api-key', 'GET', NOW), 'listing it');
  t.notOk(keyAllows(key({ keyManager: true, expirationInstant: NOW }), '/api/api-key', 'GET', NOW), 'expired');
});

t.test('a key covers only keys with no right it lacks', async (t) => {
  t.ok(
    keyCovers(key({ keyManager: true }), key({ keyManager: true, tenantId: 'x', expirationInstant: NOW })),
    'an unlimited key manager covers every key',
  );
  t.notOk(keyCovers(key({ permissions: users }), key()), 'a limited one no unlimited key');
  t.ok(keyCovers(key({ permissions: users }), key({ permissions: users })), 'equal rights');
  t.notOk(keyCovers(key({ permissions: users }), key({ permissions: { endpoints: { '/api/user': ['GET', 'PUT'] } } })), 'another method');
  t.notOk(keyCovers(key({ permissions: users }), key({ permissions: { endpoints: { '/api/tenant': ['GET'] } } })), 'another endpoint');
  t.ok(keyCovers(key({ permissions: { endpoints: { '/api/user': ['GET', 'PUT'] } } }), key({ permissions: users })), 'fewer methods');
  t.notOk(keyCovers(key({ expirationInstant: NOW }), key()), 'an expiring key no key that never expires');
  t.notOk(keyCovers(key({ expirationInstant: NOW }), key({ expirationInstant: NOW + 1 })), 'nor one that expires later');
  t.ok(keyCovers(key({ expirationInstant: NOW }), key({ expirationInstant: NOW })));
  t.notOk(keyCovers(key(), key({ keyManager: true })), 'a key that is no key manager covers no key manager');
});

t.test('permissions are read as a kickstart and the API write them', async (t) => {
  t.same(endpointPermissions({ endpoints: { '/api/user/': ['get', 'GET', 'Post'] } }), { endpoints: { '/api/user': ['GET', 'POST'] } });
  t.equal(endpointPermissions(undefined), undefined, 'absent: every endpoint');
  t.equal(endpointPermissions(null), undefined);
  t.equal(endpointPermissions({ endpoints: {} }), undefined, 'none listed: every endpoint');
  t.equal(endpointPermissions({ endpoints: null }), undefined);
  for (const invalid of [
    'all',
    [],
    { endpoints: [] },
    { endpoints: { '/api/user': 'GET' } },
    { endpoints: { '/api/user': ['FETCH'] } },
    { endpoints: { user: ['GET'] } },
  ])
    t.equal(endpointPermissions(invalid), 'invalid', JSON.stringify(invalid));
});
