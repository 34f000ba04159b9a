import { join } from 'node:path';
import { FusionAuthClient, type APIKey } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin, type StartOptions } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError } from '../helpers/assert-errors.js';
import { settle } from '../helpers/fusionauth-client.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's API Key API (https://fusionauth.io/docs/apis/api-keys) through FusionAuth's TypeScript client: only a
// key manager (set by a kickstart) calls it; a key it makes holds no right its maker lacks and authenticates at once,
// with its endpoints, tenant and expiry enforced as a kickstart key's; updates and deletes take effect on the next
// request; the keys live in the database (a restart keeps them, a reset undoes them).
const MANAGER_KEY = 'api-keys-manager-0123456789abcdefghijkl';
const PLAIN_KEY = 'api-keys-plain-0123456789abcdefghijklmno';
const USER_READER_MANAGER_KEY = 'api-keys-user-reader-manager-0123456789';
const TENANT_MANAGER_KEY = 'api-keys-tenant-manager-0123456789abcdef';
const DEFAULT_TENANT = 'c5000000-0000-4000-8000-000000000001';
const HOOLI = 'c5000000-0000-4000-8000-00000000000a';
const RICHARD = 'c5000000-0000-4000-8000-0000000000e1';
const GAVIN = 'c5000000-0000-4000-8000-0000000000e2';
const DAY_MS = 24 * 3600 * 1000;

const kickstart = {
  variables: { defaultTenantId: DEFAULT_TENANT },
  apiKeys: [
    { key: MANAGER_KEY, keyManager: true },
    { key: PLAIN_KEY },
    { key: USER_READER_MANAGER_KEY, keyManager: true, permissions: { endpoints: { '/api/user': ['GET'] } } },
    { key: TENANT_MANAGER_KEY, keyManager: true, tenantId: HOOLI },
  ],
  requests: [
    { url: `/api/tenant/${HOOLI}`, body: { tenant: { name: 'Hooli' } } },
    { url: `/api/user/${RICHARD}`, tenantId: DEFAULT_TENANT, body: { user: { email: 'richard@example.com', password: 'password1' } } },
    { url: `/api/user/${GAVIN}`, tenantId: HOOLI, body: { user: { email: 'gavin@example.com', password: 'password1' } } },
  ],
};

const options: StartOptions = { passwordHashing: 'fast', logLevel: 'silent', kickstart };
const standin = await startStandin(options);
t.teardown(() => standin.close());
const client = (key: string, url = standin.url) => new FusionAuthClient(key, url);
const manager = client(MANAGER_KEY);
const status = async (call: Promise<{ statusCode: number; response: unknown }>) => (await settle(call)).statusCode;
const noId = null as unknown as string;
const created = async (apiKey: APIKey, by = manager): Promise<Required<Pick<APIKey, 'id' | 'key'>> & APIKey> => {
  const answer = await by.createAPIKey(noId, { apiKey });
  return answer.response.apiKey as Required<Pick<APIKey, 'id' | 'key'>> & APIKey;
};

t.test('a key made through the API calls its endpoints at once, and nothing else', async (t) => {
  const apiKey = await created({
    permissions: { endpoints: { '/api/user/': ['get'] } },
    metaData: { attributes: { description: 'reads users' } },
    name: 'user reader',
  });
  t.match(apiKey.key, /^[A-Za-z0-9_-]{64}$/, 'a generated value: 64 characters of base64url');
  t.match(apiKey, {
    keyManager: false,
    permissions: { endpoints: { '/api/user': ['GET'] } },
    metaData: { attributes: { description: 'reads users' } },
    name: 'user reader',
  });
  t.type(apiKey.insertInstant, 'number');
  t.equal(apiKey.lastUpdateInstant, apiKey.insertInstant);
  t.equal(apiKey.tenantId, undefined, 'bound to no tenant');

  const reader = client(apiKey.key);
  t.equal(await status(reader.retrieveUser(RICHARD)), 200, 'the endpoint and method it lists');
  t.equal(await status(reader.patchUser(RICHARD, { user: { firstName: 'R' } })), 401, 'another method');
  t.equal(await status(reader.retrieveTenants()), 401, 'another endpoint');
  t.equal(await status(reader.retrieveAPIKey(apiKey.id)), 401, 'not a key manager');

  const retrieved = (await manager.retrieveAPIKey(apiKey.id)).response.apiKey!;
  t.equal(retrieved.key, undefined, 'the value is answered once, on create: Standin keeps only its hash');
  const { key: _value, ...rest } = apiKey;
  t.same(retrieved, rest, 'the rest as created');

  const chosen = await created({ key: 'a-key-of-my-own-choosing-42' });
  t.equal(chosen.key, 'a-key-of-my-own-choosing-42', 'a key value of the caller’s own');
  t.same(chosen.permissions, { endpoints: {} }, 'no endpoints listed: every endpoint');
  t.equal(await status(client(chosen.key).retrieveTenants()), 200);

  const id = 'c5000000-0000-4000-8000-00000000aaaa';
  const withId = await manager.createAPIKey(id.toUpperCase(), { apiKey: {} });
  t.equal(withId.response.apiKey!.id, id, 'an id of the caller’s own, stored in lower case');
  t.equal(await status(manager.retrieveAPIKey(id)), 200);
});

t.test('a key bound to a tenant acts in that tenant only', async (t) => {
  const bound = await created({ tenantId: HOOLI.toUpperCase(), permissions: { endpoints: { '/api/user': ['GET'] } } });
  t.equal(bound.tenantId, HOOLI);
  const hooli = client(bound.key);
  t.equal(await status(hooli.retrieveUser(GAVIN)), 200, 'its tenant’s user');
  t.equal(await status(hooli.retrieveUser(RICHARD)), 404, 'another tenant’s user is not there for it');

  // A tenant-bound key manager makes keys of its own tenant only, and sees no other.
  const tenantManager = client(TENANT_MANAGER_KEY);
  const own = await created({ permissions: { endpoints: { '/api/user': ['GET'] } } }, tenantManager);
  t.equal(own.tenantId, HOOLI, 'no tenant asked for: the maker’s');
  t.equal(await status(client(own.key).retrieveUser(GAVIN)), 200);
  t.equal(await status(client(own.key).retrieveUser(RICHARD)), 404);
  t.equal(await status(tenantManager.createAPIKey(noId, { apiKey: { tenantId: DEFAULT_TENANT } })), 401, 'another tenant’s key');
  t.equal(await status(tenantManager.retrieveAPIKey(bound.id)), 200, 'a key of its tenant');
  const global = await created({ permissions: { endpoints: { '/api/user': ['GET'] } } });
  assertEmpty(t, await settle(tenantManager.retrieveAPIKey(global.id)), 404);
  t.equal(await status(tenantManager.deleteAPIKey(global.id)), 404);
  t.equal(await status(client(global.key).retrieveUser(RICHARD)), 200, 'the refused delete left it working');
});

t.test('a key past its expirationInstant answers 401, at Standin’s clock', async (t) => {
  t.teardown(() => {
    standin.clock.reset();
  });
  const expiring = await created({ expirationInstant: Date.now() + DAY_MS });
  t.equal(await status(client(expiring.key).retrieveUser(RICHARD)), 200, 'before');
  standin.clock.advance((2 * DAY_MS) / 1000);
  t.equal(await status(client(expiring.key).retrieveUser(RICHARD)), 401, 'after');
  t.equal((await manager.retrieveAPIKey(expiring.id)).response.apiKey!.expirationInstant, expiring.expirationInstant, 'still there to read');
});

t.test('an update takes effect on the next request; PUT replaces, PATCH merges', async (t) => {
  const apiKey = await created({
    permissions: { endpoints: { '/api/user': ['GET'] } },
    metaData: { attributes: { description: 'before' } },
    expirationInstant: Date.now() + DAY_MS,
  });
  const user = client(apiKey.key);
  t.equal(await status(user.retrieveUser(RICHARD)), 200);
  const put = await manager.updateAPIKey(apiKey.id, { apiKey: { permissions: { endpoints: { '/api/tenant': ['GET'] } }, keyManager: true } });
  t.match(put.response.apiKey, { permissions: { endpoints: { '/api/tenant': ['GET'] } }, keyManager: false, metaData: { attributes: {} } });
  t.equal(put.response.apiKey!.expirationInstant, undefined, 'PUT without expirationInstant clears it');
  t.equal(put.response.apiKey!.key, undefined);
  t.equal(await status(user.retrieveUser(RICHARD)), 401, 'the endpoint taken away');
  t.equal(await status(user.retrieveTenant(HOOLI)), 200, 'the endpoint given');

  const patched = await manager.patchAPIKey(apiKey.id, { apiKey: { metaData: { attributes: { description: 'after' } } } });
  t.match(patched.response.apiKey, { permissions: { endpoints: { '/api/tenant': ['GET'] } }, metaData: { attributes: { description: 'after' } } });
  t.equal(await status(user.retrieveTenant(HOOLI)), 200, 'PATCH kept the permissions');
  t.equal(await status(manager.patchAPIKey(apiKey.id, { apiKey: { tenantId: HOOLI, key: 'another-value-0123456789' } })), 200);
  t.equal((await manager.retrieveAPIKey(apiKey.id)).response.apiKey!.tenantId, undefined, 'the tenant is read-only');
  t.equal(await status(client('another-value-0123456789').retrieveTenant(HOOLI)), 401, 'and so is the value');
  t.equal(await status(user.retrieveTenant(HOOLI)), 200);
});

t.test('a deleted key answers 401 on its next request', async (t) => {
  const apiKey = await created({});
  const doomed = client(apiKey.key);
  t.equal(await status(doomed.retrieveUser(RICHARD)), 200);
  t.equal(await status(manager.deleteAPIKey(apiKey.id)), 200);
  t.equal(await status(doomed.retrieveUser(RICHARD)), 401);
  assertEmpty(t, await settle(manager.retrieveAPIKey(apiKey.id)), 404);
  t.equal(await status(manager.deleteAPIKey(apiKey.id)), 404, 'gone');
});

t.test('only a key manager calls the API Key API, and it makes no key with more rights than its own', async (t) => {
  const plain = client(PLAIN_KEY);
  assertEmpty(t, await settle(plain.createAPIKey(noId, { apiKey: {} })), 401);
  const someKey = await created({ permissions: { endpoints: { '/api/user': ['GET'] } } });
  t.equal(await status(plain.retrieveAPIKey(someKey.id)), 401, 'an unlimited key that is no key manager');
  t.equal(await status(plain.deleteAPIKey(someKey.id)), 401);
  const listed = await created({ permissions: { endpoints: { '/api/api-key': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } } });
  t.equal(await status(client(listed.key).createAPIKey(noId, { apiKey: {} })), 401, 'listing /api/api-key does not make a key manager');
  t.equal((await created({ keyManager: true })).keyManager, false, 'nor does asking for one: keyManager is read-only');

  // A key manager limited to GET /api/user (FusionAuth's Kickstart docs' example) makes keys that may do no more.
  const limited = client(USER_READER_MANAGER_KEY);
  const narrow = await created({ permissions: { endpoints: { '/api/user': ['GET'] } } }, limited);
  t.equal(await status(client(narrow.key).retrieveUser(RICHARD)), 200);
  t.equal(
    await status(limited.createAPIKey(noId, { apiKey: { permissions: { endpoints: { '/api/user': ['GET', 'DELETE'] } } } })),
    401,
    'another method',
  );
  t.equal(await status(limited.createAPIKey(noId, { apiKey: { permissions: { endpoints: { '/api/tenant': ['GET'] } } } })), 401, 'another endpoint');
  t.equal(await status(limited.createAPIKey(noId, { apiKey: {} })), 401, 'every endpoint');
  t.equal(await status(limited.updateAPIKey(narrow.id, { apiKey: {} })), 401, 'nor widens one by update');
  t.equal(await status(client(narrow.key).retrieveTenants()), 401, 'the refused update changed nothing');
  t.equal(await status(limited.retrieveAPIKey(someKey.id)), 200, 'a key with equal rights');
  t.equal(await status(limited.retrieveAPIKey(listed.id)), 401, 'a key with rights it lacks');
  t.equal(await status(limited.deleteAPIKey(listed.id)), 401);
  t.equal(await status(manager.retrieveAPIKey(listed.id)), 200, 'the refused delete changed nothing');

  // An expiring key manager makes no key that outlives it.
  const soon = Date.now() + DAY_MS;
  const expiringManager = await startStandin({
    ...options,
    kickstart: { ...kickstart, apiKeys: [{ key: MANAGER_KEY }, { key: PLAIN_KEY, keyManager: true, expirationInstant: soon }] },
  });
  t.teardown(() => expiringManager.close());
  const expiring = client(PLAIN_KEY, expiringManager.url);
  t.equal(await status(expiring.createAPIKey(noId, { apiKey: {} })), 401, 'no expiry');
  t.equal(await status(expiring.createAPIKey(noId, { apiKey: { expirationInstant: soon + 1 } })), 401, 'a later one');
  t.equal(await status(expiring.createAPIKey(noId, { apiKey: { expirationInstant: soon } })), 200, 'the same one');
  t.equal(await status(client(MANAGER_KEY, expiringManager.url).createAPIKey(noId, { apiKey: {} })), 401, 'the first key is no manager');
});

t.test('a key manager may delete itself: it holds its own rights', async (t) => {
  const alone = await startStandin({ ...options, kickstart: { ...kickstart, apiKeys: [{ key: MANAGER_KEY, keyManager: true }] } });
  t.teardown(() => alone.close());
  const self = client(MANAGER_KEY, alone.url);
  const ownId = alone.app.standin.stores.apiKeys.find(MANAGER_KEY)!.id;
  t.same((await self.retrieveAPIKey(ownId)).response.apiKey!.keyManager, true, 'it reads itself');
  t.equal(await status(self.deleteAPIKey(ownId)), 200);
  t.equal(await status(self.retrieveUser(RICHARD)), 401, 'and then opens nothing');
});

t.test('bad input is FusionAuth’s 400, and writes nothing', async (t) => {
  assertFieldError(
    t,
    await settle(manager.createAPIKey(noId, { apiKey: { permissions: { endpoints: { '/api/user': ['FETCH'] } } } })),
    'apiKey.permissions.endpoints',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(manager.createAPIKey(noId, { apiKey: { permissions: { endpoints: { user: ['GET'] } } } })),
    'apiKey.permissions.endpoints',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(manager.createAPIKey(noId, { apiKey: { expirationInstant: 'tomorrow' as never } })),
    'apiKey.expirationInstant',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(manager.createAPIKey(noId, { apiKey: { tenantId: '9a000000-0000-4000-8000-000000000000' } })),
    'apiKey.tenantId',
    'invalid',
  );
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { key: PLAIN_KEY } })), 'apiKey.key', 'duplicate');
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { key: ' padded-key ' } })), 'apiKey.key', 'invalid');
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { key: 'clé-non-ascii' } })), 'apiKey.key', 'invalid');
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { key: 'k'.repeat(1025) } })), 'apiKey.key', 'tooLong');
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { retrievable: false } })), 'apiKey.name', 'blank');
  assertFieldError(t, await settle(manager.createAPIKey(noId, {})), 'apiKey', 'blank');
  const named = await created({ name: 'only one' });
  assertFieldError(t, await settle(manager.createAPIKey(noId, { apiKey: { name: 'only one' } })), 'apiKey.name', 'duplicate');
  assertFieldError(t, await settle(manager.createAPIKey(named.id, { apiKey: {} })), 'apiKeyId', 'duplicate');
  const other = await created({});
  assertFieldError(t, await settle(manager.updateAPIKey(other.id, { apiKey: { name: 'only one' } })), 'apiKey.name', 'duplicate');
  assertGeneralError(t, await settle(manager.createAPIKey(noId, { sourceKeyId: named.id, apiKey: { name: 'a copy' } })), '[NotModelled]');
  assertFieldError(
    t,
    await settle(manager.createAPIKey(noId, { apiKey: { ipAccessControlListId: '9a000000-0000-4000-8000-000000000001' } })),
    'apiKey.ipAccessControlListId',
    'invalid',
  );

  const refused = 'refused-key-value-0123456789abcdef';
  const answer = await settle(manager.createAPIKey(noId, { apiKey: { key: refused, expirationInstant: -1 } }));
  assertFieldError(t, answer, 'apiKey.expirationInstant', 'invalid');
  t.notOk(JSON.stringify(answer.exception).includes(refused), 'the error does not repeat the key');
  t.equal(await status(client(refused).retrieveUser(RICHARD)), 401, 'the refused key was not stored');
  assertEmpty(t, await settle(manager.retrieveAPIKey('9a000000-0000-4000-8000-000000000002')), 404);
});

t.test('keys made through the API survive a restart on a database file, and a reset undoes them', async (t) => {
  const dir = temporaryFolder(t, 'standin-api-keys-');
  const fileOptions: StartOptions = { ...options, db: join(dir, 'standin.db') };
  const first = await startStandin(fileOptions);
  const kept = (await client(MANAGER_KEY, first.url).createAPIKey(noId, { apiKey: { permissions: { endpoints: { '/api/user': ['GET'] } } } }))
    .response.apiKey!;
  const dropped = (await client(MANAGER_KEY, first.url).createAPIKey(noId, { apiKey: {} })).response.apiKey!;
  t.equal(await status(client(MANAGER_KEY, first.url).deleteAPIKey(dropped.id!)), 200);
  await first.close();

  const second = await startStandin(fileOptions);
  t.teardown(() => second.close());
  t.equal(await status(client(kept.key!, second.url).retrieveUser(RICHARD)), 200, 'the kept key, after a restart');
  t.equal(await status(client(kept.key!, second.url).retrieveTenants()), 401, 'with its permissions');
  t.equal(await status(client(dropped.key!, second.url).retrieveUser(RICHARD)), 401, 'the deleted one stays deleted');

  // A reset goes back to right after the kickstart: keys made since are gone, kickstart keys deleted since are back.
  const made = (await client(MANAGER_KEY, second.url).createAPIKey(noId, { apiKey: {} })).response.apiKey!;
  const plainId = second.app.standin.stores.apiKeys.find(PLAIN_KEY)!.id;
  t.equal(await status(client(MANAGER_KEY, second.url).deleteAPIKey(plainId)), 200);
  t.equal(await status(client(PLAIN_KEY, second.url).retrieveUser(RICHARD)), 401);
  const reset = await fetch(`${second.url}/_standin/reset`, { method: 'POST', headers: { authorization: MANAGER_KEY } });
  t.equal(reset.status, 200);
  t.equal(await status(client(made.key!, second.url).retrieveUser(RICHARD)), 401, 'a key made since the kickstart');
  t.equal(await status(client(kept.key!, second.url).retrieveUser(RICHARD)), 200, 'one made before this start stays (docs/test-control.md)');
  t.equal(await status(client(PLAIN_KEY, second.url).retrieveUser(RICHARD)), 200, 'a kickstart key deleted since is back');
});

t.test('a kickstart request to /api/api-key is replayed with the first key, so that key must be a key manager', async (t) => {
  const made = 'made-by-a-kickstart-request-0123456789';
  const request = { url: '/api/api-key', body: { apiKey: { key: made, permissions: { endpoints: { '/api/tenant': ['GET'] } } } } };
  const seeded = await startStandin({ ...options, kickstart: { apiKeys: [{ key: MANAGER_KEY, keyManager: true }], requests: [request] } });
  t.teardown(() => seeded.close());
  t.equal(await status(client(made, seeded.url).retrieveTenants()), 200, 'the key the request made');
  t.equal(await status(client(made, seeded.url).retrieveUser(RICHARD)), 401, 'with its permissions');

  await t.rejects(
    startStandin({ ...options, kickstart: { apiKeys: [{ key: MANAGER_KEY }], requests: [request] } }),
    { name: 'KickstartError', message: /requests\[0\] POST \/api\/api-key failed with HTTP 401/ },
    'a first key that is no key manager: start-up stops, as FusionAuth’s API answers it 401',
  );
});
