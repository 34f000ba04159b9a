import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { CLIENT_TENANT_ID, settle } from '../helpers/fixtures.js';

// A tenant's eventConfiguration.events maps FusionAuth's EventType enum to {enabled, transactionType}, the latter its
// TransactionType enum (https://fusionauth.io/docs/apis/tenants): a key or transaction type outside them is JSON
// FusionAuth cannot parse; an event type Standin never sends turned on is refused with [NotModelled] through the
// API, and stored and named in the banner from a kickstart (docs/webhooks.md, "Set-up").
const API_KEY = 'client-tenant-event-types-api-key-0123456789';
const OTHER_TENANT = 'e7100000-0000-4000-8000-000000000002';

const kickstart = {
  variables: { defaultTenantId: CLIENT_TENANT_ID },
  apiKeys: [{ key: API_KEY }],
  requests: [
    {
      method: 'PATCH' as const,
      url: `/api/tenant/${CLIENT_TENANT_ID}`,
      body: {
        tenant: {
          name: 'Kickstarted',
          eventConfiguration: {
            events: { 'user.create': { enabled: true, transactionType: 'None' }, 'user.action': { enabled: true, transactionType: 'None' } },
          },
        },
      },
    },
  ],
};

type Answer = { statusCode: number; exception?: { generalErrors?: Array<{ code?: string; message?: string }> } };
const eventsOf = (events: object) => ({ eventConfiguration: { events: events as never } });

async function start(t: Test) {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  return { standin, client: new FusionAuthClient(API_KEY, standin.url) };
}

t.test('an event type or transaction type FusionAuth does not have is unparsable JSON, on create, update and patch', async (t) => {
  const { client } = await start(t);
  const stored = (await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant!;
  // Beside a type Standin never sends, the unknown one is still what is reported.
  const unknownType = { 'user.password.breach': { enabled: true }, 'user.signed-up': { enabled: false } };
  const unknownTransaction = { 'user.create': { enabled: true, transactionType: 'Most' } };
  for (const [events, named] of [
    [unknownType, '[user.signed-up]'],
    [unknownTransaction, '[tenant.eventConfiguration.events[user.create].transactionType]'],
  ] as const) {
    for (const answer of [
      await settle(client.createTenant(OTHER_TENANT, { tenant: { name: 'Other', ...eventsOf(events) } })),
      await settle(client.updateTenant(CLIENT_TENANT_ID, { tenant: { ...stored, ...eventsOf(events) } })),
      await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: eventsOf(events) })),
    ] as Answer[]) {
      t.equal(answer.statusCode, 400);
      t.same(
        answer.exception?.generalErrors?.map((error) => error.code),
        ['[invalidJSON]'],
      );
      t.match(answer.exception?.generalErrors?.[0]?.message, named);
    }
  }
  t.equal((await settle(client.retrieveTenant(OTHER_TENANT))).statusCode, 404, 'nothing was created');
  t.same((await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant!.eventConfiguration, stored.eventConfiguration, 'nothing was changed');
});

t.test("every one of FusionAuth's transaction types is accepted", async (t) => {
  const { client } = await start(t);
  for (const transactionType of ['None', 'Any', 'SimpleMajority', 'SuperMajority', 'AbsoluteMajority']) {
    const answer = await client.patchTenant(CLIENT_TENANT_ID, { tenant: eventsOf({ 'user.update': { enabled: true, transactionType } }) });
    const events = answer.response.tenant!.eventConfiguration!.events as Record<string, { transactionType?: string }>;
    t.equal(events['user.update']?.transactionType, transactionType);
  }
});

t.test('turning on an event type Standin never sends is refused with [NotModelled]; turning it off is not', async (t) => {
  const { client } = await start(t);
  const created = (await settle(
    client.createTenant(OTHER_TENANT, {
      tenant: { name: 'Other', ...eventsOf({ 'user.create': { enabled: true }, 'user.password.breach': { enabled: true } }) },
    }),
  )) as Answer;
  t.equal(created.statusCode, 400);
  t.same(
    created.exception?.generalErrors?.map((error) => error.code),
    ['[NotModelled]'],
  );
  t.match(created.exception?.generalErrors?.[0]?.message, '[tenant.eventConfiguration.events[user.password.breach].enabled]');
  const patched = (await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: eventsOf({ 'audit-log.create': { enabled: true } }) }))) as Answer;
  t.equal(patched.statusCode, 400);
  t.match(patched.exception?.generalErrors?.[0]?.message, '[tenant.eventConfiguration.events[audit-log.create].enabled]');

  const off = await client.createTenant(OTHER_TENANT, {
    tenant: { name: 'Other', ...eventsOf({ 'user.create': { enabled: true }, 'user.password.breach': { enabled: false } }) },
  });
  t.equal(off.statusCode, 200, 'an event type turned off is stored');
  t.same(off.response.tenant!.eventConfiguration!.events, { 'user.create': { enabled: true }, 'user.password.breach': { enabled: false } });
});

t.test("a kickstart's never-sent event types are stored, named in the banner, and can be sent back", async (t) => {
  const { standin, client } = await start(t);
  const tenant = (await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant!;
  t.same(tenant.eventConfiguration!.events!['user.action' as never], { enabled: true, transactionType: 'None' });
  const text = banner(standin.app, 9011);
  t.match(text, 'Settings that have no effect');
  t.match(text, '  tenant.eventConfiguration.events[user.action].enabled  on tenant Kickstarted');
  t.notMatch(text, 'events[user.create]');
  t.equal((await client.updateTenant(CLIENT_TENANT_ID, { tenant: { ...tenant, name: 'Renamed' } })).statusCode, 200);
});
