import { FusionAuthClient, KeyAlgorithm, KeyType, LambdaType, ObjectState, type Application } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';

// FusionAuth's search APIs for the objects Standin stores (applications, tenants, keys, lambdas, email templates,
// webhooks), one mechanism for all (manage/search.ts): `name`-like text without regard to case, `*` as a wildcard
// and `*value*` when there is none; `numberOfResults` (25), `startRow`, `orderBy` checked against each object's
// fields; `total`; GET parameters or a POST's `search`. Through FusionAuth's TypeScript client, and the tenant and
// permission rules of FusionAuth's API keys.
const GLOBAL_KEY = 'search-global-key-0123456789abcdefghij';
const HOOLI_KEY = 'search-hooli-key-0123456789abcdefghijk';
const APPLICATIONS_ONLY_KEY = 'search-apps-only-key-0123456789abcdef';
const DEFAULT_TENANT = 'a6000000-0000-4000-8000-000000000001';
const HOOLI = 'a6000000-0000-4000-8000-000000000002';
const STORE = 'a6000000-0000-4000-8000-0000000000a1';
const STORE_ADMIN = 'a6000000-0000-4000-8000-0000000000a2';
const FORUMS = 'a6000000-0000-4000-8000-0000000000a3';
const HOOLI_STORE = 'a6000000-0000-4000-8000-0000000000a4';
const NO_ID = undefined as unknown as string;
const NO_NUMBER = undefined as unknown as number;

let clock = Date.UTC(2026, 0, 1);
const application = (id: string, name: string, tenantId = DEFAULT_TENANT) => ({
  url: `/api/application/${id}`,
  tenantId,
  body: { application: { name, roles: [{ name: 'user' }] } },
});
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  // Each object gets its own insertInstant, so that ordering by it means something.
  now: () => (clock += 1000),
  kickstart: {
    variables: { defaultTenantId: DEFAULT_TENANT },
    apiKeys: [
      { key: GLOBAL_KEY },
      { key: HOOLI_KEY, tenantId: HOOLI },
      { key: APPLICATIONS_ONLY_KEY, permissions: { endpoints: { '/api/application': ['GET', 'POST'] } } },
    ],
    requests: [
      { url: `/api/tenant/${HOOLI}`, body: { tenant: { name: 'Hooli' } } },
      application(STORE, 'Store'),
      application(STORE_ADMIN, 'store admin'),
      application(FORUMS, 'Forums'),
      application(HOOLI_STORE, 'Hooli Store', HOOLI),
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(GLOBAL_KEY, standin.url);
await client.deactivateApplication(FORUMS);
const ids = (applications: Application[] | undefined) => (applications ?? []).map((one) => one.id);

t.test('searchApplications: name without regard to case, anywhere unless it has a *, by name, with the total', async (t) => {
  const stores = await client.searchApplications({ search: { name: 'STORE' } });
  t.equal(stores.statusCode, 200);
  t.same(ids(stores.response.applications), [HOOLI_STORE, STORE, STORE_ADMIN], 'every tenant, ordered by name');
  t.equal(stores.response.total, 3);
  t.match(stores.response.applications![1], { id: STORE, tenantId: DEFAULT_TENANT, name: 'Store', active: true, roles: [{ name: 'user' }] });
  t.same(ids((await client.searchApplications({ search: { name: 'store*' } })).response.applications), [STORE, STORE_ADMIN], 'a * anchors the rest');
  t.same(ids((await client.searchApplications({ search: { name: '*min' } })).response.applications), [STORE_ADMIN]);
  t.same(ids((await client.searchApplications({ search: { name: 's*e' } })).response.applications), [STORE]);
  t.equal((await client.searchApplications({ search: {} })).response.total, 5, 'no criteria: all of them, inactive included');
  t.equal((await client.searchApplications({})).response.total, 5, 'no search member at all');
});

t.test('searchApplications: state, tenantId, orderBy, paging', async (t) => {
  t.same(ids((await client.searchApplications({ search: { state: ObjectState.Inactive } })).response.applications), [FORUMS]);
  t.equal((await client.searchApplications({ search: { state: ObjectState.Active } })).response.total, 4);
  t.same(ids((await client.searchApplications({ search: { tenantId: HOOLI } })).response.applications), [HOOLI_STORE]);
  const newestFirst = await client.searchApplications({ search: { orderBy: 'insertInstant DESC', numberOfResults: 2 } });
  t.same(ids(newestFirst.response.applications), [HOOLI_STORE, FORUMS]);
  t.equal(newestFirst.response.total, 5, 'the total counts every page');
  const secondPage = await client.searchApplications({ search: { orderBy: 'insertInstant DESC', numberOfResults: 2, startRow: 2 } });
  t.same(ids(secondPage.response.applications), [STORE_ADMIN, STORE]);
  const byTenant = await client.searchApplications({ search: { name: 'store', orderBy: 'tenant DESC' } });
  t.same(ids(byTenant.response.applications).slice(0, 1), [HOOLI_STORE], "by the tenant's name: Hooli after Default");
  t.same(ids((await client.searchApplications({ search: { universal: true } })).response.applications), [], 'no application is universal');
  assertFieldError(t, await settle(client.searchApplications({ search: { orderBy: 'clientSecret' } })), 'search.orderBy', 'invalid');
  assertFieldError(t, await settle(client.searchApplications({ search: { state: 'Sleeping' as ObjectState } })), 'search.state', 'invalid');
  assertFieldError(t, await settle(client.searchApplications({ search: { tenantId: 'not-a-tenant' } })), 'search.tenantId', 'invalid');
  assertFieldError(t, await settle(client.searchApplications({ search: { numberOfResults: -1 } })), 'search.numberOfResults', 'invalid');
  assertFieldError(t, await settle(client.searchApplications({ search: { name: 7 as unknown as string } })), 'search.name', 'invalid');
  assertFieldError(t, await settle(client.searchApplications({ search: { name: '*a'.repeat(513) } })), 'search.name', 'invalid');
});

t.test('searchApplications: expand leaves out roles or scopes', async (t) => {
  const both = (await client.searchApplications({ search: { name: 'Forums' } })).response.applications![0]!;
  t.ok('roles' in both && 'scopes' in both, 'both by default');
  const rolesOnly = (await client.searchApplications({ search: { name: 'Forums' }, expand: ['roles'] })).response.applications![0]!;
  t.ok('roles' in rolesOnly, 'roles asked for');
  t.notOk('scopes' in rolesOnly, 'scopes not');
  const neither = (await client.searchApplications({ search: { name: 'Forums' }, expand: [] })).response.applications![0]!;
  t.notOk('roles' in neither || 'scopes' in neither);
  assertFieldError(t, await settle(client.searchApplications({ search: {}, expand: ['secrets'] })), 'expand', 'invalid');
});

t.test('GET /api/application/search takes the same criteria as parameters', async (t) => {
  const response = await fetch(`${standin.url}/api/application/search?name=store&state=Active&orderBy=name%20DESC&numberOfResults=2`, {
    headers: { authorization: GLOBAL_KEY },
  });
  t.equal(response.status, 200);
  const body = (await response.json()) as { applications: Application[]; total: number };
  t.same(ids(body.applications), [STORE_ADMIN, STORE]);
  t.equal(body.total, 3);
  const bad = await fetch(`${standin.url}/api/application/search?startRow=first`, { headers: { authorization: GLOBAL_KEY } });
  t.equal(bad.status, 400);
  t.match(await bad.json(), { fieldErrors: { startRow: [{ code: '[invalid]startRow' }] } });
});

t.test("a request acting in a tenant finds only that tenant's applications, whatever tenantId it asks for", async (t) => {
  const hooli = new FusionAuthClient(HOOLI_KEY, standin.url);
  t.same(ids((await hooli.searchApplications({ search: {} })).response.applications), [HOOLI_STORE], 'a tenant-bound key');
  t.same(ids((await hooli.searchApplications({ search: { tenantId: DEFAULT_TENANT } })).response.applications), [HOOLI_STORE]);
  const byHeader = new FusionAuthClient(GLOBAL_KEY, standin.url, DEFAULT_TENANT);
  const found = await byHeader.searchApplications({ search: { name: 'store', tenantId: HOOLI } });
  t.same(ids(found.response.applications), [STORE, STORE_ADMIN], 'X-FusionAuth-TenantId overrides search.tenantId');
  const limited = new FusionAuthClient(APPLICATIONS_ONLY_KEY, standin.url);
  t.equal((await limited.retrieveApplication(STORE)).statusCode, 200, 'the key may read /api/application');
  assertEmpty(t, await settle(limited.searchApplications({ search: {} })), 401);
  assertEmpty(t, await settle(new FusionAuthClient('not-a-key', standin.url).searchApplications({ search: {} })), 401);
});

t.test('searchTenants: by name, ordered, paged; only for a request that acts in no one tenant', async (t) => {
  await client.createTenant(NO_ID, { tenant: { name: 'Hooli XYZ' } });
  const hoolis = await client.searchTenants({ search: { name: 'hooli' } });
  t.equal(hoolis.statusCode, 200);
  t.same(
    hoolis.response.tenants!.map((tenant) => tenant.name),
    ['Hooli', 'Hooli XYZ'],
  );
  t.equal(hoolis.response.total, 2);
  t.match(hoolis.response.tenants![0], { id: HOOLI, issuer: standin.issuer }, 'tenants as the Tenant API shows them');
  t.same(
    (await client.searchTenants({ search: { orderBy: 'name DESC', numberOfResults: 1, startRow: 1 } })).response.tenants!.map(
      (tenant) => tenant.name,
    ),
    ['Hooli'],
  );
  t.same(
    (await client.searchTenants({ search: { name: '*xyz' } })).response.tenants!.map((tenant) => tenant.name),
    ['Hooli XYZ'],
  );
  t.equal((await client.searchTenants({ search: {} })).response.total, 3);
  assertFieldError(t, await settle(client.searchTenants({ search: { orderBy: 'issuer' } })), 'search.orderBy', 'invalid');
  assertEmpty(t, await settle(new FusionAuthClient(HOOLI_KEY, standin.url).searchTenants({ search: {} })), 401);
  assertEmpty(t, await settle(new FusionAuthClient(GLOBAL_KEY, standin.url, HOOLI).searchTenants({ search: {} })), 401);
  const byGet = await fetch(`${standin.url}/api/tenant/search?name=XYZ`, { headers: { authorization: GLOBAL_KEY } });
  t.match(await byGet.json(), { total: 1, tenants: [{ name: 'Hooli XYZ' }] });
});

t.test('searchKeys and searchKeysByParameters: name, algorithm, type, orderBy', async (t) => {
  const rsa = (await client.generateKey(NO_ID, { key: { name: 'Searchable RSA', algorithm: KeyAlgorithm.RS256 } })).response.key!;
  const ec = (await client.generateKey(NO_ID, { key: { name: 'searchable EC', algorithm: KeyAlgorithm.ES256 } })).response.key!;
  const both = await client.searchKeys({ search: { name: 'SEARCHABLE' } });
  t.equal(both.statusCode, 200);
  t.same(
    both.response.keys!.map((key) => key.id),
    [ec.id, rsa.id],
    'by name, without regard to case',
  );
  t.equal(both.response.total, 2);
  t.match(both.response.keys![1], { id: rsa.id, algorithm: 'RS256', type: 'RSA', publicKey: /BEGIN PUBLIC KEY/ });
  t.notOk('privateKey' in both.response.keys![1]!, 'never the private part');
  t.same(
    (await client.searchKeys({ search: { name: 'searchable', type: KeyType.RSA } })).response.keys!.map((key) => key.id),
    [rsa.id],
  );
  t.same(
    (await client.searchKeys({ search: { name: 'searchable', orderBy: 'algorithm DESC' } })).response.keys!.map((key) => key.id),
    [rsa.id, ec.id],
  );
  const byParameters = await client.searchKeysByParameters('ES256', 'searchable*', NO_NUMBER, NO_ID, NO_NUMBER, NO_ID);
  t.same(
    byParameters.response.keys!.map((key) => key.id),
    [ec.id],
  );
  t.equal((await client.searchKeys({ search: { type: 'OKP' as KeyType } })).response.total, 0, "FusionAuth's OKP type names no Standin key");
  assertFieldError(t, await settle(client.searchKeys({ search: { algorithm: 'RS1' as KeyAlgorithm } })), 'search.algorithm', 'invalid');
  assertFieldError(t, await settle(client.searchKeys({ search: { orderBy: 'privateKey' } })), 'search.orderBy', 'invalid');
  assertEmpty(t, await settle(new FusionAuthClient(HOOLI_KEY, standin.url).searchKeys({ search: {} })), 401);
});

t.test('the searches Standin already had share the mechanism: orderBy, anchored wildcards, checked paging', async (t) => {
  const template = { defaultSubject: 'Hi', defaultTextTemplate: 'Hi', defaultHtmlTemplate: '<p>Hi</p>', fromEmail: 'no-reply@example.com' };
  await client.createEmailTemplate(NO_ID, { emailTemplate: { ...template, name: 'Account notice' } });
  await client.createEmailTemplate(NO_ID, { emailTemplate: { ...template, name: 'Billing notice' } });
  t.same(
    (await client.searchEmailTemplates({ search: { name: 'notice', orderBy: 'name DESC' } })).response.emailTemplates!.map((one) => one.name),
    ['Billing notice', 'Account notice'],
  );
  t.equal((await client.searchEmailTemplates({ search: { name: 'notice*' } })).response.total, 0, 'a * anchors the rest');
  assertFieldError(t, await settle(client.searchEmailTemplates({ search: { orderBy: 'subject' } })), 'search.orderBy', 'invalid');

  const body = 'function populate(jwt) {}';
  await client.createLambda(NO_ID, { lambda: { name: 'beta claims', body, type: LambdaType.JWTPopulate } });
  await client.createLambda(NO_ID, { lambda: { name: 'Alpha claims', body, type: LambdaType.JWTPopulate } });
  t.same(
    (await client.searchLambdas({ search: { name: 'claims' } })).response.lambdas!.map((one) => one.name),
    ['Alpha claims', 'beta claims'],
    'by name, without regard to case',
  );
  assertFieldError(
    t,
    await settle(client.searchLambdas({ search: { numberOfResults: 'many' as unknown as number } })),
    'search.numberOfResults',
    'invalid',
  );

  await client.createWebhook(NO_ID, {
    webhook: { url: 'http://b.example.com/hook', description: 'first', global: true, connectTimeout: 1000, readTimeout: 1000 },
  });
  await client.createWebhook(NO_ID, {
    webhook: { url: 'http://a.example.com/hook', description: 'second', global: true, connectTimeout: 1000, readTimeout: 1000 },
  });
  t.same(
    (await client.searchWebhooks({ search: { url: 'example.com', orderBy: 'url' } })).response.webhooks!.map((one) => one.description),
    ['second', 'first'],
  );
  t.same(
    (await client.searchWebhooks({ search: { orderBy: 'insertInstant DESC', numberOfResults: 1 } })).response.webhooks!.map((one) => one.description),
    ['second'],
  );
  assertFieldError(t, await settle(client.searchWebhooks({ search: { orderBy: 'secret' } })), 'search.orderBy', 'invalid');
});
