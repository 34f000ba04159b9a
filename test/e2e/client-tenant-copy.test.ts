import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';

// The Tenant API's two request members besides `tenant` (https://fusionauth.io/docs/apis/tenants): `sourceTenantId`,
// which copies an existing tenant under a new name, and `webhookIds`, which makes webhooks not configured for all
// tenants hear the tenant. Through FusionAuth's TypeScript client.
const API_KEY = 'client-tenant-copy-api-key-0123456789ab';
const SOURCE = 'c7000000-0000-4000-8000-000000000001';
const COPY = 'c7000000-0000-4000-8000-000000000002';
const UNKNOWN = 'c7999999-0000-4000-8000-000000000009';

t.test('createTenant with sourceTenantId copies every value but the name; webhookIds adds the tenant to webhooks', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { apiKeys: [{ key: API_KEY }], requests: [] } });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const key = (await client.generateKey(null as never, { key: { algorithm: 'ES256' as never, name: 'Source key' } })).response.key!;
  await client.createTenant(SOURCE, {
    tenant: {
      name: 'Source',
      issuer: 'https://source.example.com',
      jwtConfiguration: { timeToLiveInSeconds: 120, accessTokenKeyId: key.id!, idTokenKeyId: key.id! },
      data: { plan: 'gold' },
    },
  });
  const scoped = await client.createWebhook(null as never, {
    webhook: { url: 'http://127.0.0.1:9/hook', connectTimeout: 500, readTimeout: 500, tenantIds: [SOURCE] },
  });

  const copied = await client.createTenant(COPY, {
    sourceTenantId: SOURCE,
    tenant: { name: 'Copy', issuer: 'https://ignored.example.com' },
    webhookIds: [scoped.response.webhook!.id!],
  });
  t.match(copied.response.tenant, {
    id: COPY,
    name: 'Copy',
    issuer: 'https://source.example.com',
    jwtConfiguration: { timeToLiveInSeconds: 120, accessTokenKeyId: key.id, idTokenKeyId: key.id },
    data: { plan: 'gold' },
  });
  t.same((await client.retrieveWebhook(scoped.response.webhook!.id!)).response.webhook!.tenantIds!.sort(), [SOURCE, COPY].sort());

  const noSource = await settle(client.createTenant(null as never, { sourceTenantId: UNKNOWN, tenant: { name: 'Orphan' } }));
  assertFieldError(t, noSource, 'sourceTenantId', 'invalid');
  const noWebhook = await settle(client.createTenant(null as never, { tenant: { name: 'Lonely' }, webhookIds: [UNKNOWN] }));
  assertFieldError(t, noWebhook, 'webhookIds', 'invalid');
  t.equal((await client.retrieveTenants()).response.tenants!.length, 3, 'neither refused request made a tenant');
});

t.test('createApplication with sourceApplicationId is refused as not modelled, not answered with an empty application', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { apiKeys: [{ key: API_KEY }], requests: [] } });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const source = (await client.createApplication(null as never, { application: { name: 'Source', roles: [{ name: 'admin' }] } })).response
    .application!;
  const copy = await settle(client.createApplication(null as never, { sourceApplicationId: source.id!, application: { name: 'Copy' } }));
  assertGeneralError(t, copy, '[NotModelled]');
  t.equal((await client.retrieveApplications()).response.applications!.length, 2, 'nothing created (FusionAuth and Source)');
});
