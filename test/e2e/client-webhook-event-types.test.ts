import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { CLIENT_TENANT_ID, settle } from '../helpers/fixtures.js';

// A webhook's eventsEnabled keys are FusionAuth's EventType enum (https://fusionauth.io/docs/apis/webhooks): a key
// that is not one is JSON FusionAuth cannot parse; a type FusionAuth has and Standin never sends is refused with
// [NotModelled] through the API, and stored and named in the banner from a kickstart (docs/webhooks.md).
const API_KEY = 'client-webhook-event-types-api-key-0123456789';
const KICKSTARTED = 'e7000000-0000-4000-8000-000000000001';
const NO_ID = undefined as unknown as string;
const base = { url: 'http://127.0.0.1:9/hook', connectTimeout: 500, readTimeout: 500, global: true };

const kickstart = {
  variables: { defaultTenantId: CLIENT_TENANT_ID },
  apiKeys: [{ key: API_KEY }],
  requests: [
    {
      url: `/api/webhook/${KICKSTARTED}`,
      body: { webhook: { ...base, description: 'Kickstarted', eventsEnabled: { 'user.create': true, 'user.login.new-device': true } } },
    },
  ],
};

type Answer = { statusCode: number; exception?: { generalErrors?: Array<{ code?: string; message?: string }> } };

t.test('an event type FusionAuth does not have is unparsable JSON, on create, update and patch', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  // Beside a type Standin never sends, the unknown one is still what is reported.
  const eventsEnabled = { 'user.password.breach': true, 'user.signed-up': false } as never;
  for (const answer of [
    await settle(client.createWebhook(NO_ID, { webhook: { ...base, eventsEnabled } })),
    await settle(client.updateWebhook(KICKSTARTED, { webhook: { ...base, eventsEnabled } })),
    await settle(client.patchWebhook(KICKSTARTED, { webhook: { eventsEnabled } })),
  ] as Answer[]) {
    t.equal(answer.statusCode, 400);
    t.equal(answer.exception?.generalErrors?.[0]?.code, '[invalidJSON]');
    t.match(answer.exception?.generalErrors?.[0]?.message, '[user.signed-up]');
  }
  t.equal((await client.retrieveWebhooks()).response.webhooks!.length, 1, 'nothing was created');
});

t.test('turning on an event type Standin never sends is refused with [NotModelled]; turning it off is not', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const created = (await settle(
    client.createWebhook(NO_ID, { webhook: { ...base, eventsEnabled: { 'user.create': true, 'user.password.breach': true } as never } }),
  )) as Answer;
  t.equal(created.statusCode, 400);
  t.same(
    created.exception?.generalErrors?.map((error) => error.code),
    ['[NotModelled]'],
  );
  t.match(created.exception?.generalErrors?.[0]?.message, '[user.password.breach]');
  const patched = (await settle(client.patchWebhook(KICKSTARTED, { webhook: { eventsEnabled: { 'audit-log.create': true } as never } }))) as Answer;
  t.equal(patched.statusCode, 400);
  t.match(patched.exception?.generalErrors?.[0]?.message, '[audit-log.create]');

  const off = await client.createWebhook(NO_ID, {
    webhook: { ...base, eventsEnabled: { 'user.create': true, 'user.password.breach': false } as never },
  });
  t.equal(off.statusCode, 200, 'an event type turned off is stored');
  t.same(off.response.webhook!.eventsEnabled, { 'user.create': true, 'user.password.breach': false });
});

t.test("a kickstart's never-sent event types are stored, named in the banner, and can be sent back", async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const webhook = (await client.retrieveWebhook(KICKSTARTED)).response.webhook!;
  t.same(webhook.eventsEnabled, { 'user.create': true, 'user.login.new-device': true });
  const text = banner(standin.app, 9011);
  t.match(text, 'Settings that have no effect');
  t.match(text, '  webhook.eventsEnabled[user.login.new-device]  on webhook Kickstarted');
  t.notMatch(text, 'eventsEnabled[user.create]');
  t.equal((await client.updateWebhook(KICKSTARTED, { webhook: { ...webhook, description: 'Renamed' } })).statusCode, 200);
});
