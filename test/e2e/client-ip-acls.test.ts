import { join } from 'node:path';
import { FusionAuthClient, type IPAccessControlList } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's IP Access Control List API (https://fusionauth.io/docs/apis/ip-acl) through
// @fusionauth/typescript-client against a listening Standin, and what a list does to an API key and to the hosted
// pages. Other client addresses come through X-Forwarded-For from a proxy Standin trusts: itself, on loopback.
const API_KEY = 'client-ip-acls-api-key-0123456789abcdef';
const BOUND_KEY = 'client-ip-acls-bound-key-0123456789abcd';
const LIMITED_KEY = 'client-ip-acls-limited-key-0123456789ab';
const KICKSTART_LIMITED_KEY = 'client-ip-acls-kickstart-limited-key-01';
const TENANT = 'ac100000-0000-4000-8000-0000000000a1';
const OTHER_TENANT = 'ac100000-0000-4000-8000-0000000000a2';
const APP = 'ac100000-0000-4000-8000-0000000000b1';
const LIST = 'ac100000-0000-4000-8000-0000000000c1';
const OTHER_LIST = 'ac100000-0000-4000-8000-0000000000c2';
const UNKNOWN = 'ac199999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
const REDIRECT = 'http://localhost:3000/callback';

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [
    { key: API_KEY, keyManager: true },
    { key: BOUND_KEY, tenantId: OTHER_TENANT },
  ],
  requests: [
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    {
      url: `/api/application/${APP}`,
      tenantId: TENANT,
      body: { application: { name: 'Shop', oauthConfiguration: { authorizedRedirectURLs: [REDIRECT], enabledGrants: ['authorization_code'] } } },
    },
  ],
};

const start = (options: { db?: string; kickstart?: object; trustProxy?: string } = {}) =>
  startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, trustProxy: '127.0.0.1', ...options });

/** Blocks 10.0.0.0–10.0.0.255 and 2001:db8::–2001:db8::ffff, allows the rest. */
const BLOCK_RANGES: IPAccessControlList = {
  name: 'Block two ranges',
  entries: [
    { action: 'Allow' as never, startIPAddress: '*' },
    { action: 'Block' as never, startIPAddress: '10.0.0.0', endIPAddress: '10.0.0.255' },
    { action: 'Block' as never, startIPAddress: '2001:db8::', endIPAddress: '2001:db8::ffff' },
  ],
};

/** A client whose every request comes, through the trusted proxy, from `address`. */
function clientFrom(apiKey: string, url: string, address: string): FusionAuthClient {
  const client = new FusionAuthClient(apiKey, url);
  const builder = client.clientBuilder;
  client.clientBuilder = {
    build: <RT, ERT>(host: string) => builder.build<RT, ERT>(host).withHeader('X-Forwarded-For', address),
  };
  return client;
}

const status = async (call: Promise<{ statusCode: number; response: unknown }>) => (await settle(call)).statusCode;

t.test('create, retrieve, replace, patch, search and delete IP ACLs', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createIPAccessControlList(LIST.toUpperCase(), { ipAccessControlList: { ...BLOCK_RANGES, data: { team: 'ops' } } });
  t.equal(created.statusCode, 200);
  const list = created.response.ipAccessControlList!;
  t.match(list, { id: LIST, name: 'Block two ranges', data: { team: 'ops' } });
  t.same(list.entries, BLOCK_RANGES.entries, 'the default entry has no endIPAddress');
  t.type(list.insertInstant, 'number');
  t.same((await client.retrieveIPAccessControlList(LIST.toUpperCase())).response.ipAccessControlList, list);

  const random = (
    await client.createIPAccessControlList(NO_ID, {
      ipAccessControlList: { name: 'Office only', entries: [{ action: 'Block' as never, startIPAddress: '*' }] },
    })
  ).response.ipAccessControlList!;
  t.match(random.id, /^[0-9a-f-]{36}$/);

  const replaced = await client.updateIPAccessControlList(LIST, {
    ipAccessControlList: { name: 'Block one range', entries: BLOCK_RANGES.entries!.slice(0, 2) },
  });
  t.match(replaced.response.ipAccessControlList, { name: 'Block one range', data: {} });
  t.equal(replaced.response.ipAccessControlList!.entries!.length, 2);
  const patched = await client.patchIPAccessControlList(LIST, { ipAccessControlList: { data: { team: 'sec' } } });
  t.match(patched.response.ipAccessControlList, { name: 'Block one range', data: { team: 'sec' } });
  t.equal(patched.response.ipAccessControlList!.entries!.length, 2, 'a patch keeps the entries it leaves out');

  const names = (lists: IPAccessControlList[] | undefined) => (lists ?? []).map((each) => each.name);
  const all = await client.searchIPAccessControlLists({ search: {} });
  t.same(names(all.response.ipAccessControlLists), ['Block one range', 'Office only'], 'ordered by name');
  t.equal(all.response.total, 2);
  const byName = await client.searchIPAccessControlLists({ search: { name: 'office' } });
  t.same(names(byName.response.ipAccessControlLists), ['Office only'], 'a name without * matches anywhere');
  const page = await client.searchIPAccessControlLists({ search: { name: '*', numberOfResults: 1, startRow: 1, orderBy: 'name DESC' } });
  t.same(names(page.response.ipAccessControlLists), ['Block one range']);
  t.equal(page.response.total, 2, 'the total counts every page');
  const query = await fetch(`${standin.url}/api/ip-acl/search?name=Block*`, { headers: { authorization: API_KEY } });
  t.same(names(((await query.json()) as { ipAccessControlLists: IPAccessControlList[] }).ipAccessControlLists), ['Block one range'], 'GET search');
  assertFieldError(t, await settle(client.searchIPAccessControlLists({ search: { orderBy: 'entries' } })), 'search.orderBy', 'invalid');

  t.equal((await client.deleteIPAccessControlList(random.id!)).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveIPAccessControlList(random.id!)), 404);
  assertEmpty(t, await settle(client.deleteIPAccessControlList(random.id!)), 404);
});

t.test('bad lists get FusionAuth’s errors; only a global API key calls the API', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const attempt = (list: Record<string, unknown>) => settle(client.createIPAccessControlList(NO_ID, { ipAccessControlList: list }));
  const entries = (...rest: object[]) => [{ action: 'Allow', startIPAddress: '*' }, ...rest];
  const F = 'ipAccessControlList';

  assertFieldError(t, await attempt({ entries: entries() }), `${F}.name`, 'blank');
  assertFieldError(t, await attempt({ name: 'x' }), `${F}.entries`, 'missing');
  assertFieldError(t, await attempt({ name: 'x', entries: [] }), `${F}.entries`, 'missing');
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: [{ action: 'Block', startIPAddress: '1.2.3.4', endIPAddress: '1.2.3.4' }] }),
    `${F}.entries`,
    'missing',
  );
  assertFieldError(t, await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: '*' }) }), `${F}.entries`, 'duplicate');
  assertFieldError(t, await attempt({ name: 'x', entries: [{ startIPAddress: '*' }] }), `${F}.entries[0].action`, 'missing');
  assertFieldError(t, await attempt({ name: 'x', entries: [{ action: 'Deny', startIPAddress: '*' }] }), `${F}.entries[0].action`, 'invalid');
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', endIPAddress: '1.2.3.4' }) }),
    `${F}.entries[1].startIPAddress`,
    'missing',
  );
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: '1.2.3.256', endIPAddress: '1.2.3.4' }) }),
    `${F}.entries[1].startIPAddress`,
    'invalid',
  );
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: '1.2.3.4' }) }),
    `${F}.entries[1].endIPAddress`,
    'missing',
  );
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: '1.2.3.4', endIPAddress: '1.2.3.3' }) }),
    `${F}.entries[1].endIPAddress`,
    'invalid',
  );
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: '1.2.3.4', endIPAddress: '::1' }) }),
    `${F}.entries[1].endIPAddress`,
    'invalid',
  );
  assertFieldError(
    t,
    await attempt({ name: 'x', entries: entries({ action: 'Block', startIPAddress: 'fe80::1%eth0', endIPAddress: 'fe80::2' }) }),
    `${F}.entries[1].startIPAddress`,
    'invalid',
  );
  await client.createIPAccessControlList(LIST, { ipAccessControlList: BLOCK_RANGES });
  assertFieldError(t, await attempt({ name: BLOCK_RANGES.name, entries: entries() }), `${F}.name`, 'duplicate');
  assertFieldError(
    t,
    await settle(client.createIPAccessControlList(LIST, { ipAccessControlList: { name: 'y', entries: entries() } })),
    'ipAccessControlListId',
    'duplicate',
  );
  assertFieldError(t, await settle(client.createIPAccessControlList(NO_ID, {})), F, 'blank');
  assertEmpty(t, await settle(client.retrieveIPAccessControlList(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.updateIPAccessControlList(UNKNOWN, { ipAccessControlList: BLOCK_RANGES })), 404);

  const badJson = await fetch(`${standin.url}/api/ip-acl`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{"ipAccessControlList": ',
  });
  t.equal(badJson.status, 400, 'bad JSON is a 400');

  const bound = new FusionAuthClient(BOUND_KEY, standin.url);
  assertEmpty(t, await settle(bound.retrieveIPAccessControlList(LIST)), 401);
  assertEmpty(t, await settle(bound.searchIPAccessControlLists({ search: {} })), 401);
  assertEmpty(t, await settle(bound.createIPAccessControlList(NO_ID, { ipAccessControlList: { name: 'z', entries: entries() } })), 401);
});

t.test('an API key limited to a list answers 401 from a blocked address, as an unknown key does', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const manager = new FusionAuthClient(API_KEY, standin.url);
  await manager.createIPAccessControlList(LIST, { ipAccessControlList: BLOCK_RANGES });
  const made = await manager.createAPIKey(NO_ID, { apiKey: { key: LIMITED_KEY, ipAccessControlListId: LIST.toUpperCase() } });
  t.equal(made.response.apiKey!.ipAccessControlListId, LIST, 'the key answers its list');
  t.equal((await manager.retrieveAPIKey(made.response.apiKey!.id!)).response.apiKey!.ipAccessControlListId, LIST);
  assertFieldError(
    t,
    await settle(manager.createAPIKey(NO_ID, { apiKey: { ipAccessControlListId: UNKNOWN } })),
    'apiKey.ipAccessControlListId',
    'invalid',
  );

  const from = (address: string) => status(clientFrom(LIMITED_KEY, standin.url, address).retrieveTenant(TENANT));
  t.equal(await from('10.0.0.7'), 401, 'inside a blocked IPv4 range');
  t.equal(await from('10.0.0.255'), 401, 'a range holds its end');
  t.equal(await from('10.0.1.7'), 200, 'outside it: the default entry allows');
  t.equal(await from('2001:db8::5'), 401, 'inside a blocked IPv6 range');
  t.equal(await from('2001:db8::1:0'), 200, 'past its end');
  t.equal(await from('::ffff:10.0.0.7'), 401, 'an IPv4-mapped IPv6 address is its IPv4 address');
  const blocked = await fetch(`${standin.url}/api/tenant/${TENANT}`, { headers: { authorization: LIMITED_KEY, 'x-forwarded-for': '10.0.0.7' } });
  t.equal(await blocked.text(), '', 'the 401 is empty, as for an unknown key');

  // A default of Block, one address allowed: Standin's own address (loopback) is blocked too.
  await manager.updateIPAccessControlList(LIST, {
    ipAccessControlList: {
      name: 'One address',
      entries: [
        { action: 'Block' as never, startIPAddress: '*' },
        { action: 'Allow' as never, startIPAddress: '192.168.1.10', endIPAddress: '192.168.1.10' },
      ],
    },
  });
  t.equal(await from('192.168.1.10'), 200, 'the allowed address');
  t.equal(await from('192.168.1.11'), 401, 'the default entry blocks');
  t.equal(await status(new FusionAuthClient(LIMITED_KEY, standin.url).retrieveTenant(TENANT)), 401, 'loopback, with no proxy header');
  t.equal(await status(new FusionAuthClient(API_KEY, standin.url).retrieveTenant(TENANT)), 200, 'a key with no list is not limited');

  t.test('a list an API key names cannot be deleted', async (t) => {
    assertFieldError(t, await settle(manager.deleteIPAccessControlList(LIST)), 'ipAccessControlListId', 'inUse');
    await manager.patchAPIKey(made.response.apiKey!.id!, { apiKey: { ipAccessControlListId: null as never } });
    t.equal(await status(new FusionAuthClient(LIMITED_KEY, standin.url).retrieveTenant(TENANT)), 200, 'the key is no longer limited');
    t.equal(await status(manager.deleteIPAccessControlList(LIST)), 200);
  });
});

t.test('X-Forwarded-For counts only from a trusted proxy', async (t) => {
  const standin = await start({ trustProxy: undefined as never });
  t.teardown(() => standin.close());
  const manager = new FusionAuthClient(API_KEY, standin.url);
  await manager.createIPAccessControlList(LIST, { ipAccessControlList: BLOCK_RANGES });
  await manager.createAPIKey(NO_ID, { apiKey: { key: LIMITED_KEY, ipAccessControlListId: LIST } });
  t.equal(await status(clientFrom(LIMITED_KEY, standin.url, '10.0.0.7').retrieveTenant(TENANT)), 200, 'the socket’s address, 127.0.0.1, is allowed');
});

t.test('the hosted pages of an application or a tenant with a list answer the unauthorized page to a blocked address', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  await client.createIPAccessControlList(LIST, { ipAccessControlList: BLOCK_RANGES });
  await client.createIPAccessControlList(OTHER_LIST, {
    ipAccessControlList: { name: 'Block all', entries: [{ action: 'Block' as never, startIPAddress: '*' }] },
  });
  const authorize = `${standin.url}/oauth2/authorize?client_id=${APP}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`;
  const page = (address: string) => fetch(authorize, { headers: { 'x-forwarded-for': address } });

  t.equal((await page('10.0.0.7')).status, 200, 'no list yet');
  assertFieldError(
    t,
    await settle(client.patchApplication(APP, { application: { accessControlConfiguration: { uiIPAccessControlListId: UNKNOWN } } })),
    'application.accessControlConfiguration.uiIPAccessControlListId',
    'invalid',
  );
  const patched = await client.patchApplication(APP, {
    application: { accessControlConfiguration: { uiIPAccessControlListId: LIST.toUpperCase() } },
  });
  t.equal(patched.response.application!.accessControlConfiguration!.uiIPAccessControlListId, LIST);

  const blocked = await page('10.0.0.7');
  t.equal(blocked.status, 401);
  t.match(blocked.headers.get('content-type'), /^text\/html/);
  const html = await blocked.text();
  t.match(html, 'Access denied');
  t.match(html, 'IP address: 10.0.0.7');
  t.notMatch(html, 'name="password"', 'no login form');
  t.equal((await page('10.0.1.7')).status, 200, 'an allowed address gets the login page');
  const post = await fetch(`${standin.url}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'x-forwarded-for': '2001:db8::1', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: APP, response_type: 'code', redirect_uri: REDIRECT, loginId: 'a@example.com', password: 'x' }),
  });
  t.equal(post.status, 401, 'a form post naming the application is blocked too');

  // The tenant's list guards its applications' pages, unless the application names one: that one wins.
  await client.patchTenant(TENANT, { tenant: { accessControlConfiguration: { uiIPAccessControlListId: OTHER_LIST } } });
  t.equal((await page('10.0.1.7')).status, 200, 'the application’s list takes precedence over the tenant’s');
  await client.patchApplication(APP, { application: { accessControlConfiguration: { uiIPAccessControlListId: null as never } } });
  t.equal((await page('10.0.1.7')).status, 401, 'without one of its own, the tenant’s list applies');
  t.equal(
    (await fetch(`${standin.url}/password/forgot?tenantId=${TENANT}`, { headers: { 'x-forwarded-for': '10.0.1.7' } })).status,
    401,
    'a tenant page',
  );
  t.equal(await status(client.retrieveTenant(TENANT)), 200, 'the API is not guarded by a tenant’s list');

  t.test('deleting a list lets go of it on tenants and applications', async (t) => {
    t.equal(await status(client.deleteIPAccessControlList(OTHER_LIST)), 200);
    const tenant = (await client.retrieveTenant(TENANT)).response.tenant!;
    t.equal(tenant.accessControlConfiguration?.uiIPAccessControlListId, undefined);
    t.equal((await page('10.0.1.7')).status, 200);
  });
});

t.test('a kickstart’s IP ACL requests are replayed; a reset returns to them; they survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-ip-acls-');
  const db = join(dir, 'standin.db');
  const first = await start({
    db,
    kickstart: {
      ...kickstart,
      apiKeys: [...kickstart.apiKeys, { key: KICKSTART_LIMITED_KEY, ipAccessControlListId: LIST.toUpperCase() }],
      requests: [
        { method: 'POST', url: `/api/ip-acl/${LIST}`, body: { ipAccessControlList: BLOCK_RANGES } },
        ...kickstart.requests,
        { method: 'PATCH', url: `/api/application/${APP}`, body: { application: { accessControlConfiguration: { uiIPAccessControlListId: LIST } } } },
        { method: 'POST', url: '/api/api-key', body: { apiKey: { key: LIMITED_KEY, ipAccessControlListId: LIST } } },
      ],
    },
  });
  t.same(first.app.seedReport.ignored, [], 'nothing was ignored');
  const client = new FusionAuthClient(API_KEY, first.url);
  t.match((await client.retrieveIPAccessControlList(LIST)).response.ipAccessControlList, { name: BLOCK_RANGES.name });
  t.equal(await status(clientFrom(LIMITED_KEY, first.url, '10.0.0.7').retrieveTenant(TENANT)), 401, 'the key its request made is limited');
  t.equal(await status(clientFrom(KICKSTART_LIMITED_KEY, first.url, '10.0.0.7').retrieveTenant(TENANT)), 401, 'so is a key of its apiKeys');
  t.equal(await status(clientFrom(KICKSTART_LIMITED_KEY, first.url, '10.0.1.7').retrieveTenant(TENANT)), 200);

  await client.createIPAccessControlList(OTHER_LIST, {
    ipAccessControlList: { name: 'Added later', entries: [{ action: 'Allow' as never, startIPAddress: '*' }] },
  });
  await client.patchIPAccessControlList(LIST, { ipAccessControlList: { name: 'Renamed' } });
  first.reset();
  const after = (await client.searchIPAccessControlLists({ search: {} })).response.ipAccessControlLists!;
  t.same(
    after.map((each) => each.name),
    [BLOCK_RANGES.name],
    'the reset undid the changes',
  );
  await client.patchIPAccessControlList(LIST, { ipAccessControlList: { name: 'Kept' } });
  await first.close();

  const second = await start({ db });
  t.teardown(() => second.close());
  const again = new FusionAuthClient(API_KEY, second.url);
  t.match((await again.retrieveIPAccessControlList(LIST)).response.ipAccessControlList, { name: 'Kept', entries: BLOCK_RANGES.entries });
  t.equal(await status(clientFrom(LIMITED_KEY, second.url, '10.0.0.7').retrieveTenant(TENANT)), 401, 'the key is still limited');
  t.equal(await status(clientFrom(LIMITED_KEY, second.url, '10.0.1.7').retrieveTenant(TENANT)), 200);
});

t.test('a kickstart key limited to an IP ACL no request creates stops start-up', async (t) => {
  await t.rejects(
    start({ kickstart: { ...kickstart, apiKeys: [...kickstart.apiKeys, { key: KICKSTART_LIMITED_KEY, ipAccessControlListId: LIST }] } }),
    { message: `apiKeys[2]: "ipAccessControlListId" ${LIST} names no IP ACL, and no request created one` },
  );
});
