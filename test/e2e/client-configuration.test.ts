import { FusionAuthClient, KeyAlgorithm } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, assertJsonError, settle } from '../helpers/fixtures.js';

// Configuration (docs/management-api.md): applications, roles, tenants and keys through @fusionauth/typescript-client
// against a live Standin, on the happy path and FusionAuth's documented failures.
const API_KEY = 'client-configuration-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const UNKNOWN = 'c9999999-0000-4000-8000-000000000009';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: { variables: { defaultTenantId: TENANT }, apiKeys: [{ key: API_KEY }] },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const noKey = new FusionAuthClient('not-the-api-key', standin.url);
const NO_ID = undefined as unknown as string;

async function newApplication(name: string, extra: Record<string, unknown> = {}) {
  return (await client.createApplication(NO_ID, { application: { name, ...extra } })).response.application!;
}

t.test('createApplication: 200 with FusionAuth defaults and clientId = id; blank name 400; duplicate id 400; no API key 401', async (t) => {
  const id = 'c3000000-0000-4000-8000-000000000001';
  const created = await client.createApplication(id, {
    application: {
      name: 'Store',
      roles: [{ name: 'user', isDefault: true }],
      data: { team: 'web' },
      oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'], enabledGrants: ['authorization_code' as never] },
    },
  });
  t.equal(created.statusCode, 200);
  const application = created.response.application!;
  t.match(application, {
    id,
    tenantId: TENANT,
    name: 'Store',
    active: true,
    data: { team: 'web' },
    oauthConfiguration: { clientId: id, authorizedRedirectURLs: ['http://localhost:3000/callback'] },
  });
  t.type(application.oauthConfiguration!.clientSecret, 'string', 'a client secret is generated');
  t.match(application.roles, [{ name: 'user', isDefault: true, isSuperRole: false }]);
  assertFieldError(t, await settle(client.createApplication(NO_ID, { application: { name: '' } })), 'application.name', 'blank');
  assertFieldError(t, await settle(client.createApplication(id, { application: { name: 'Again' } })), 'applicationId', 'duplicate');
  assertEmpty(t, await settle(noKey.createApplication(NO_ID, { application: { name: 'X' } })), 401);
  await assertJsonError(
    t,
    await fetch(`${standin.url}/api/application`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: '{"application":{}}',
    }),
    400,
  );
});

t.test('retrieveApplication: 200, inactive ones too; unknown id 404; no API key 401', async (t) => {
  const application = await newApplication('Forums');
  const read = await client.retrieveApplication(application.id!);
  t.equal(read.statusCode, 200);
  t.same(read.response.application, application);
  assertEmpty(t, await settle(client.retrieveApplication(UNKNOWN)), 404);
  assertEmpty(t, await settle(noKey.retrieveApplication(application.id!)), 401);
});

t.test('retrieveApplications: the active applications; retrieveInactiveApplications the others', async (t) => {
  const active = await newApplication('Listed');
  const inactive = await newApplication('Hidden');
  await client.deactivateApplication(inactive.id!);
  const all = await client.retrieveApplications();
  t.equal(all.statusCode, 200);
  const ids = all.response.applications!.map((application) => application.id);
  t.ok(ids.includes(active.id), 'the active one is listed');
  t.notOk(ids.includes(inactive.id), 'the inactive one is not');
  t.ok(ids.includes('3c219e58-ed0e-4b18-ad48-f4f92793ae32'), "FusionAuth's own application is there too");
  const inactiveOnly = await client.retrieveInactiveApplications();
  t.same(
    inactiveOnly.response.applications!.map((application) => application.id),
    [inactive.id],
  );
});

t.test('patchApplication: the client sends JSON, merged into the application; merge-patch+json accepted; unknown id 404', async (t) => {
  const application = await newApplication('Patchable', {
    oauthConfiguration: { authorizedRedirectURLs: ['http://a.example/cb'], logoutURL: 'http://a.example/bye' },
    data: { a: 1, b: 2 },
  });
  const patched = await client.patchApplication(application.id!, {
    application: { oauthConfiguration: { authorizedRedirectURLs: ['http://b.example/cb'] }, data: { b: null } },
  });
  t.equal(patched.statusCode, 200);
  const after = patched.response.application!;
  t.same(after.oauthConfiguration!.authorizedRedirectURLs, ['http://b.example/cb'], 'arrays replace');
  t.equal(after.oauthConfiguration!.logoutURL, 'http://a.example/bye', 'untouched members stay');
  t.equal(after.oauthConfiguration!.clientSecret, application.oauthConfiguration!.clientSecret, 'the secret stays');
  t.same(after.data, { a: 1 }, 'null removes');
  const raw = await fetch(`${standin.url}/api/application/${application.id}`, {
    method: 'PATCH',
    headers: { authorization: API_KEY, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ application: { name: 'Renamed' } }),
  });
  t.equal(raw.status, 200);
  t.equal((await client.retrieveApplication(application.id!)).response.application!.name, 'Renamed');
  assertFieldError(t, await settle(client.patchApplication(application.id!, { application: { name: '' } })), 'application.name', 'blank');
  assertEmpty(t, await settle(client.patchApplication(UNKNOWN, { application: { name: 'X' } })), 404);
});

t.test('deleteApplication (hardDelete=true) removes it; deactivateApplication keeps it inactive; unknown id 404', async (t) => {
  const gone = await newApplication('Gone');
  const deleted = await client.deleteApplication(gone.id!);
  t.equal(deleted.statusCode, 200);
  t.equal(deleted.response, undefined);
  assertEmpty(t, await settle(client.retrieveApplication(gone.id!)), 404);
  assertEmpty(t, await settle(client.deleteApplication(gone.id!)), 404);
  const soft = await newApplication('Soft');
  t.equal((await client.deactivateApplication(soft.id!)).statusCode, 200);
  t.equal((await client.retrieveApplication(soft.id!)).response.application!.active, false);
});

t.test('createApplicationRole: {role} in, {role} out, on the application; duplicate name 400; unknown application 404', async (t) => {
  const application = await newApplication('Roles');
  const roleId = 'c4000000-0000-4000-8000-000000000001';
  const created = await client.createApplicationRole(application.id!, roleId, { role: { name: 'editor', description: 'Edits', isDefault: true } });
  t.equal(created.statusCode, 200);
  t.same(created.response.role, { id: roleId, name: 'editor', description: 'Edits', isDefault: true, isSuperRole: false });
  const generated = await client.createApplicationRole(application.id!, NO_ID, { role: { name: 'viewer' } });
  t.match(generated.response.role!.id, /^[0-9a-f-]{36}$/);
  t.same(
    (await client.retrieveApplication(application.id!)).response.application!.roles!.map((role) => role.name),
    ['editor', 'viewer'],
  );
  assertFieldError(t, await settle(client.createApplicationRole(application.id!, NO_ID, { role: { name: 'editor' } })), 'role.name', 'duplicate');
  assertFieldError(t, await settle(client.createApplicationRole(application.id!, NO_ID, { role: { description: 'no name' } })), 'role.name', 'blank');
  assertEmpty(t, await settle(client.createApplicationRole(UNKNOWN, NO_ID, { role: { name: 'x' } })), 404);
});

t.test('updateApplicationRole / deleteApplicationRole: a rename or a delete reaches the registrations', async (t) => {
  const application = await newApplication('Roles2', { roles: [{ name: 'user', isDefault: true }, { name: 'admin' }] });
  const admin = application.roles!.find((role) => role.name === 'admin')!;
  const user = (
    await client.register(NO_ID, {
      user: { email: 'roles@example.com', password: 'password1' },
      registration: { applicationId: application.id!, roles: ['user', 'admin'] },
    })
  ).response.user!;
  const renamed = await client.updateApplicationRole(application.id!, admin.id!, { role: { name: 'owner' } });
  t.equal(renamed.response.role!.name, 'owner');
  t.same((await client.retrieveRegistration(user.id!, application.id!)).response.registration!.roles, ['user', 'owner']);
  t.equal(
    (await client.patchApplicationRole(application.id!, admin.id!, { role: { description: 'Owns' } })).response.role!.name,
    'owner',
    'PATCH keeps the name',
  );
  t.equal((await client.deleteApplicationRole(application.id!, admin.id!)).statusCode, 200);
  t.same((await client.retrieveRegistration(user.id!, application.id!)).response.registration!.roles, ['user']);
  assertEmpty(t, await settle(client.deleteApplicationRole(application.id!, admin.id!)), 404);
});

t.test('updateApplication / patchApplication: a role removed or renamed there leaves the registrations too', async (t) => {
  const application = await newApplication('Roles3', { roles: [{ name: 'user' }, { name: 'admin' }, { name: 'editor' }] });
  const user = (
    await client.register(NO_ID, {
      user: { email: 'roles3@example.com', password: 'password1' },
      registration: { applicationId: application.id!, roles: ['user', 'admin', 'editor'] },
    })
  ).response.user!;
  const roles = async () => (await client.retrieveRegistration(user.id!, application.id!)).response.registration!.roles;
  const editor = application.roles!.find((role) => role.name === 'editor')!;
  await client.updateApplication(application.id!, {
    application: { name: 'Roles3', roles: [{ name: 'user' }, { id: editor.id!, name: 'writer' }] },
  });
  t.same(await roles(), ['user', 'writer'], 'admin removed by PUT; editor renamed writer');
  await client.patchApplication(application.id!, { application: { roles: [{ name: 'writer' }] } });
  t.same(await roles(), ['writer'], 'user removed by PATCH');
});

t.test('generateKey: RS256, ES256 and HS256 keys, public parts only; bad algorithm and duplicate name 400', async (t) => {
  const rsa = await client.generateKey('c5000000-0000-4000-8000-000000000001', { key: { algorithm: KeyAlgorithm.RS256, name: 'RSA', length: 2048 } });
  t.equal(rsa.statusCode, 200);
  t.match(rsa.response.key, { id: 'c5000000-0000-4000-8000-000000000001', algorithm: 'RS256', name: 'RSA', length: 2048, type: 'RSA' });
  t.match(rsa.response.key!.publicKey, /^-----BEGIN PUBLIC KEY-----/);
  t.notOk('privateKey' in rsa.response.key!, 'the private key never leaves');
  t.match((await client.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.ES256, name: 'EC' } })).response.key, { algorithm: 'ES256', type: 'EC' });
  const hmac = await client.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.HS256, name: 'HMAC' } });
  t.match(hmac.response.key, { algorithm: 'HS256', type: 'HMAC' });
  t.notOk('secret' in hmac.response.key!, 'nor an HMAC secret');
  assertFieldError(
    t,
    await settle(client.generateKey(NO_ID, { key: { algorithm: 'none' as KeyAlgorithm, name: 'Bad' } })),
    'key.algorithm',
    'invalid',
  );
  assertFieldError(t, await settle(client.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.RS256, name: 'RSA' } })), 'key.name', 'duplicate');
  assertEmpty(t, await settle(noKey.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.RS256, name: 'X' } })), 401);
});

t.test('retrieveKey: 200 with the public key; unknown id 404', async (t) => {
  const key = (await client.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.ES256, name: 'Read me' } })).response.key!;
  const read = await client.retrieveKey(key.id!);
  t.equal(read.statusCode, 200);
  t.same(read.response.key, key);
  assertEmpty(t, await settle(client.retrieveKey(UNKNOWN)), 404);
});

t.test('retrieveKeys: every key, public parts only; no API key 401', async (t) => {
  const key = (await client.generateKey(NO_ID, { key: { algorithm: KeyAlgorithm.RS256, name: 'Listed key' } })).response.key!;
  const all = await client.retrieveKeys();
  t.equal(all.statusCode, 200);
  t.ok(all.response.keys!.some((listed) => listed.id === key.id));
  t.notOk(JSON.stringify(all.response).includes('PRIVATE KEY'));
  assertEmpty(t, await settle(noKey.retrieveKeys()), 401);
});

t.test('patchTenant: issuer and token settings merge in; the issuer signs the next tokens; unknown id 404', async (t) => {
  const patched = await client.patchTenant(TENANT, {
    tenant: { issuer: 'https://auth.example.com', jwtConfiguration: { timeToLiveInSeconds: 600 } },
  });
  t.equal(patched.statusCode, 200);
  t.match(patched.response.tenant, {
    id: TENANT,
    issuer: 'https://auth.example.com',
    jwtConfiguration: { timeToLiveInSeconds: 600, refreshTokenTimeToLiveInMinutes: 43200 },
  });
  const discovery = (await (await fetch(`${standin.url}/.well-known/openid-configuration`)).json()) as { issuer: string };
  t.equal(discovery.issuer, 'https://auth.example.com');
  assertFieldError(t, await settle(client.patchTenant(TENANT, { tenant: { name: '' } })), 'tenant.name', 'blank');
  assertEmpty(t, await settle(client.patchTenant(UNKNOWN, { tenant: { name: 'X' } })), 404);
});

// Last: a second tenant makes every call without X-FusionAuth-TenantId ambiguous.
t.test('createTenant: 200 with FusionAuth defaults; duplicate name 400; then calls must name their tenant', async (t) => {
  const created = await client.createTenant(NO_ID, { tenant: { name: 'Second' } });
  t.equal(created.statusCode, 200);
  const tenant = created.response.tenant!;
  t.match(tenant, { name: 'Second', jwtConfiguration: { timeToLiveInSeconds: 3600, refreshTokenRevocationPolicy: { onPasswordChanged: true } } });
  assertFieldError(t, await settle(client.createTenant(NO_ID, { tenant: { name: 'Second' } })), 'tenant.name', 'duplicate');
  assertEmpty(t, await settle(noKey.createTenant(NO_ID, { tenant: { name: 'Third' } })), 401);

  assertGeneralError(t, await settle(client.createApplication(NO_ID, { application: { name: 'Where?' } })), '[TenantIdRequired]');
  const scoped = new FusionAuthClient(API_KEY, standin.url, tenant.id);
  const application = (await scoped.createApplication(NO_ID, { application: { name: 'In Second' } })).response.application!;
  t.equal(application.tenantId, tenant.id, 'X-FusionAuth-TenantId picks the tenant');
  assertEmpty(t, await settle(new FusionAuthClient(API_KEY, standin.url, TENANT).retrieveApplication(application.id!)), 404);
});
