import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { UUID } from '../helpers/fixtures.js';

// FusionAuth's kickstart variables for the Tenant Manager application
// (https://fusionauth.io/docs/get-started/download-and-install/development/kickstart, "Modify the Tenant Manager
// Application Id"): #{FUSIONAUTH_TENANT_MANAGER_APPLICATION_ID} and #{TENANT_MANAGER_ID} resolve to one id, the
// kickstart's tenantManagerApplicationId when it sets one (docs/kickstart.md).
const API_KEY = 'kickstart-tenant-manager-api-key-0123456789';
const APP = 'f7000000-0000-4000-8000-000000000001';
const CHOSEN = '9A145715-BFBD-4C06-BFF2-009315B9761E';

function kickstart(variables: Record<string, string>) {
  return {
    variables,
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Admin portal',
            data: { manager: '#{FUSIONAUTH_TENANT_MANAGER_APPLICATION_ID}', legacy: '#{TENANT_MANAGER_ID}', own: '#{tenantManagerApplicationId}' },
          },
        },
      },
    ],
  };
}

async function dataOf(t: Test, variables: Record<string, string>) {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart(variables) });
  t.teardown(() => standin.close());
  return (await new FusionAuthClient(API_KEY, standin.url).retrieveApplication(APP)).response.application!.data!;
}

t.test('the Tenant Manager variable resolves to the same fixed id as TENANT_MANAGER_ID in every Standin', async (t) => {
  const data = await dataOf(t, {});
  t.match(data.manager, UUID);
  t.equal(data.legacy, data.manager);
  t.equal(data.own, data.manager);
  t.same(await dataOf(t, {}), data, 'the same id in another Standin');
});

t.test("a kickstart's tenantManagerApplicationId is what every Tenant Manager variable yields", async (t) => {
  const data = await dataOf(t, { tenantManagerApplicationId: CHOSEN });
  t.same(data, { manager: CHOSEN.toLowerCase(), legacy: CHOSEN.toLowerCase(), own: CHOSEN.toLowerCase() });
});

t.test('a tenantManagerApplicationId that is not a UUID stops the start, as FusionAuth asks for a UUID', async (t) => {
  await t.rejects(startStandin({ logLevel: 'silent', kickstart: kickstart({ tenantManagerApplicationId: 'admin' }) }), {
    message: /variables\.tenantManagerApplicationId/,
  });
});
