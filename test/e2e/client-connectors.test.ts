import { join } from 'node:path';
import { FusionAuthClient, type BaseConnectorConfiguration, type GenericConnectorConfiguration } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Connector API (https://fusionauth.io/docs/apis/connectors) through @fusionauth/typescript-client
// against a listening Standin: the Generic type's CRUD and errors, the built-in FusionAuth connector, the tenants'
// connector policies, kickstart, reset and restart. What a Generic connector does at login:
// client-connector-login.test.ts.
const API_KEY = 'client-connectors-api-key-0123456789abcdef';
const BOUND_KEY = 'client-connectors-bound-key-0123456789abc';
const TENANT = 'c0100000-0000-4000-8000-0000000000a1';
const OTHER_TENANT = 'c0100000-0000-4000-8000-0000000000a2';
const CONNECTOR = 'c0100000-0000-4000-8000-0000000000c1';
const OTHER_CONNECTOR = 'c0100000-0000-4000-8000-0000000000c2';
const FUSIONAUTH_CONNECTOR = 'e3306678-a53a-4964-9040-1c96f36dda72';
const UNKNOWN = 'c0199999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: OTHER_TENANT }],
  requests: [{ url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } }],
};

const start = (options: { db?: string; kickstart?: object } = {}) =>
  startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, ...options });

const LEGACY: GenericConnectorConfiguration = {
  type: 'Generic' as never,
  name: 'Legacy users',
  authenticationURL: 'http://127.0.0.1:1/authenticate',
  connectTimeout: 1000,
  readTimeout: 2000,
  headers: { 'X-Legacy-Key': 'header-secret' },
  httpAuthenticationUsername: 'standin',
  httpAuthenticationPassword: 'basic-secret',
  data: { team: 'identity' },
};

const asConnector = (connector: GenericConnectorConfiguration) => connector as BaseConnectorConfiguration;

t.test('create, retrieve, list, replace, patch and delete Generic connectors', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const created = await client.createConnector(CONNECTOR.toUpperCase(), { connector: asConnector(LEGACY) });
  t.equal(created.statusCode, 200);
  const connector = created.response.connector as GenericConnectorConfiguration;
  t.match(connector, { ...LEGACY, id: CONNECTOR, debug: false });
  t.type(connector.insertInstant, 'number');
  t.equal(connector.httpAuthenticationPassword, 'basic-secret', 'answered as FusionAuth answers it');
  t.same((await client.retrieveConnector(CONNECTOR.toUpperCase())).response.connector, connector);

  const random = (await client.createConnector(NO_ID, { connector: asConnector({ ...LEGACY, name: 'Another' }) })).response.connector!;
  t.match(random.id, /^[0-9a-f-]{36}$/);

  const all = (await client.retrieveConnectors()).response.connectors!;
  t.same(
    all.map((each) => each.name),
    ['Default', 'Another', 'Legacy users'],
    'the FusionAuth connector first, then by name',
  );
  t.match(all[0], { id: FUSIONAUTH_CONNECTOR, type: 'FusionAuth', name: 'Default' });

  const replaced = (
    await client.updateConnector(CONNECTOR, { connector: asConnector({ ...LEGACY, name: 'Renamed', readTimeout: 500, headers: {} }) })
  ).response.connector as GenericConnectorConfiguration;
  t.match(replaced, { name: 'Renamed', readTimeout: 500, headers: {}, insertInstant: connector.insertInstant });
  const patched = (await client.patchConnector(CONNECTOR, { connector: { debug: true } })).response.connector as GenericConnectorConfiguration;
  t.match(patched, { name: 'Renamed', readTimeout: 500, debug: true, type: 'Generic' });
  const retyped = await settle(client.patchConnector(CONNECTOR, { connector: { type: 'FusionAuth' as never } }));
  t.equal(retyped.statusCode, 200, 'the type of a connector cannot change');
  t.equal(retyped.response.connector?.type, 'Generic');

  assertEmpty(t, await settle(client.deleteConnector(random.id!)), 200);
  assertEmpty(t, await settle(client.retrieveConnector(random.id!)), 404);
  assertEmpty(t, await settle(client.deleteConnector(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.updateConnector(UNKNOWN, { connector: asConnector(LEGACY) })), 404);
});

t.test('the built-in FusionAuth connector is always there, can be renamed, and nothing else', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  t.match((await client.retrieveConnector(FUSIONAUTH_CONNECTOR.toUpperCase())).response.connector, {
    id: FUSIONAUTH_CONNECTOR,
    name: 'Default',
    type: 'FusionAuth',
  });
  assertFieldError(t, await settle(client.deleteConnector(FUSIONAUTH_CONNECTOR)), 'connectorId', 'fusionAuth');
  assertFieldError(t, await settle(client.createConnector(FUSIONAUTH_CONNECTOR, { connector: asConnector(LEGACY) })), 'connectorId', 'duplicate');
  assertFieldError(
    t,
    await settle(client.createConnector(NO_ID, { connector: asConnector({ ...LEGACY, name: 'Default' }) })),
    'connector.name',
    'duplicate',
  );

  const renamed = (
    await client.updateConnector(FUSIONAUTH_CONNECTOR, {
      connector: { name: 'Standin users', type: 'Generic' as never, authenticationURL: 'http://127.0.0.1:1/' } as BaseConnectorConfiguration,
    })
  ).response.connector!;
  t.same(
    { ...renamed, lastUpdateInstant: 0 },
    { id: FUSIONAUTH_CONNECTOR, name: 'Standin users', type: 'FusionAuth', data: {}, debug: false, insertInstant: 0, lastUpdateInstant: 0 },
    'only the name changed',
  );
  t.equal((await client.retrieveConnectors()).response.connectors!.length, 1);
  t.equal((await client.createConnector(NO_ID, { connector: asConnector({ ...LEGACY, name: 'Default' }) })).statusCode, 200, 'its old name is free');
});

t.test('FusionAuth’s validation errors, LDAP refused as not modelled, bad bodies', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const create = (connector: object) => settle(client.createConnector(NO_ID, { connector: connector }));

  assertFieldError(t, await create({ ...LEGACY, name: ' ' }), 'connector.name', 'blank');
  assertFieldError(t, await create({ ...LEGACY, authenticationURL: '' }), 'connector.authenticationURL', 'blank');
  for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'not a url', 'javascript:alert(1)'])
    assertFieldError(t, await create({ ...LEGACY, authenticationURL: url }), 'connector.authenticationURL', 'invalid');
  assertFieldError(t, await create({ ...LEGACY, connectTimeout: 0 }), 'connector.connectTimeout', 'invalid');
  assertFieldError(t, await create({ ...LEGACY, readTimeout: undefined }), 'connector.readTimeout', 'invalid');
  assertFieldError(t, await create({ ...LEGACY, sslCertificateKeyId: UNKNOWN }), 'connector.sslCertificateKey', 'invalid');
  assertFieldError(t, await create({ ...LEGACY, headers: { 'Content-Type': 'text/plain' } }), 'connector.headers', 'invalid');
  assertFieldError(t, await create({ ...LEGACY, type: undefined }), 'connector.type', 'missing');
  assertFieldError(t, await create({ ...LEGACY, type: 'FusionAuth' }), 'connector.type', 'invalid');

  const ldap = await create({ type: 'LDAP', name: 'Directory', authenticationURL: 'ldap://127.0.0.1', connectTimeout: 1, readTimeout: 1 });
  assertGeneralError(t, ldap, '[NotModelled]');
  t.same((await client.retrieveConnectors()).response.connectors!.length, 1, 'nothing was stored');

  await client.createConnector(CONNECTOR, { connector: asConnector(LEGACY) });
  assertFieldError(
    t,
    await settle(client.createConnector(CONNECTOR, { connector: asConnector({ ...LEGACY, name: 'Other' }) })),
    'connectorId',
    'duplicate',
  );
  assertFieldError(t, await create(LEGACY), 'connector.name', 'duplicate');

  const raw = (method: string, body: string) =>
    fetch(`${standin.url}/api/connector/${CONNECTOR}`, { method, headers: { authorization: API_KEY, 'content-type': 'application/json' }, body });
  t.equal((await raw('PUT', '{not json')).status, 400, 'bad JSON is a 400');
  t.equal((await raw('PUT', '[]')).status, 400);
  t.equal((await raw('PATCH', '{"connector": 5}')).status, 400);
  t.equal((await fetch(`${standin.url}/api/connector/not-a-uuid`, { headers: { authorization: API_KEY } })).status, 404);
});

t.test('a key bound to a tenant cannot reach the Connector API', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const bound = new FusionAuthClient(BOUND_KEY, standin.url);
  t.equal((await settle(bound.retrieveConnectors())).statusCode, 401);
  t.equal((await settle(bound.createConnector(NO_ID, { connector: asConnector(LEGACY) }))).statusCode, 401);
});

t.test('tenants’ connector policies name stored connectors; a connector in use is not deleted', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  await client.createConnector(CONNECTOR, { connector: asConnector(LEGACY) });

  t.same(
    (await client.retrieveTenant(OTHER_TENANT)).response.tenant!.connectorPolicies,
    [{ connectorId: FUSIONAUTH_CONNECTOR, domains: ['*'], migrate: false }],
    'the FusionAuth connector alone by default',
  );
  const unknown = await settle(
    client.patchTenant(OTHER_TENANT, {
      tenant: { connectorPolicies: [{ connectorId: UNKNOWN, domains: ['*'] }, { connectorId: FUSIONAUTH_CONNECTOR }] },
    }),
  );
  t.equal(unknown.statusCode, 400);
  t.same(
    unknown.exception?.fieldErrors?.['tenant.connectorPolicies[0].connectorId']?.map((error) => error.code),
    ['[invalid]tenant.connectorPolicies.connectorId'],
  );
  assertFieldError(
    t,
    await settle(client.patchTenant(OTHER_TENANT, { tenant: { connectorPolicies: [{ connectorId: CONNECTOR, domains: ['*'] }] } })),
    'tenant.connectorPolicies',
    'invalid',
  );

  const policies = [
    { connectorId: CONNECTOR.toUpperCase(), domains: ['Example.COM', 'piedpiper.com'], migrate: true },
    { connectorId: FUSIONAUTH_CONNECTOR, domains: ['example.com'], migrate: true },
  ];
  const tenant = (await client.patchTenant(OTHER_TENANT, { tenant: { connectorPolicies: policies } })).response.tenant!;
  t.same(tenant.connectorPolicies, [
    { connectorId: CONNECTOR, domains: ['example.com', 'piedpiper.com'], migrate: true },
    { connectorId: FUSIONAUTH_CONNECTOR, domains: ['*'], migrate: false },
  ]);

  const inUse = await settle(client.deleteConnector(CONNECTOR));
  assertFieldError(t, inUse, 'connectorId', 'inUse');
  t.match(inUse.exception?.fieldErrors?.connectorId?.[0]?.message, /the tenant \[Other\]/);
  await client.patchTenant(OTHER_TENANT, { tenant: { connectorPolicies: [] } });
  t.same((await client.retrieveTenant(OTHER_TENANT)).response.tenant!.connectorPolicies, [
    { connectorId: FUSIONAUTH_CONNECTOR, domains: ['*'], migrate: false },
  ]);
  assertEmpty(t, await settle(client.deleteConnector(CONNECTOR)), 200);
});

t.test('a kickstart’s connector requests are replayed (LDAP ones ignored); reset returns to them; they survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-connectors-');
  const db = join(dir, 'standin.db');
  const ldap = { type: 'LDAP', name: 'Directory', authenticationURL: 'ldaps://127.0.0.1', connectTimeout: 1, readTimeout: 1 };
  const first = await start({
    db,
    kickstart: {
      ...kickstart,
      requests: [
        { method: 'POST', url: `/api/connector/${CONNECTOR}`, body: { connector: LEGACY } },
        { method: 'POST', url: `/api/connector/${OTHER_CONNECTOR}`, body: { connector: ldap } },
        { method: 'PATCH', url: `/api/connector/${OTHER_CONNECTOR}`, body: { connector: { debug: true } } },
        ...kickstart.requests,
        {
          method: 'PATCH',
          url: `/api/tenant/${OTHER_TENANT}`,
          body: { tenant: { connectorPolicies: [{ connectorId: CONNECTOR }, { connectorId: FUSIONAUTH_CONNECTOR }] } },
        },
      ],
    },
  });
  t.same(first.app.seedReport.ignored, [`POST /api/connector/${OTHER_CONNECTOR}`, `PATCH /api/connector/${OTHER_CONNECTOR}`], 'the LDAP ones');
  const client = new FusionAuthClient(API_KEY, first.url);
  t.match((await client.retrieveConnector(CONNECTOR)).response.connector, { name: LEGACY.name });

  await client.createConnector(NO_ID, { connector: asConnector({ ...LEGACY, name: 'Added later' }) });
  await client.patchConnector(CONNECTOR, { connector: { name: 'Renamed' } });
  first.reset();
  t.same(
    (await client.retrieveConnectors()).response.connectors!.map((each) => each.name),
    ['Default', LEGACY.name],
    'the reset undid the changes',
  );
  await client.patchConnector(CONNECTOR, { connector: { name: 'Kept' } });
  await client.patchConnector(FUSIONAUTH_CONNECTOR, { connector: { name: 'Local' } });
  await first.close();

  const second = await start({ db });
  t.teardown(() => second.close());
  const again = new FusionAuthClient(API_KEY, second.url);
  t.same(
    (await again.retrieveConnectors()).response.connectors!.map((each) => each.name),
    ['Local', 'Kept'],
  );
  t.match((await again.retrieveTenant(OTHER_TENANT)).response.tenant!.connectorPolicies, [
    { connectorId: CONNECTOR },
    { connectorId: FUSIONAUTH_CONNECTOR },
  ]);
});
