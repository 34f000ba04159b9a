import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { CLIENT_API_KEY, CLIENT_TENANT_ID, failureOf } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// The Webhook API and the Webhook Event Log API through @fusionauth/typescript-client
// (https://fusionauth.io/docs/apis/webhooks, https://fusionauth.io/docs/apis/webhook-event-logs), and the control
// API's view of the same log (docs/webhooks.md).
const OTHER_TENANT = 'b0000000-0000-4000-8000-00000000000b';

t.test('webhook create, retrieve, update, patch, search and delete', async (t) => {
  const { client, receiver, webhookId, signingKeyId } = await startWebhookStandin(t, ['user.create']);
  const own = 'a1000000-0000-4000-8000-000000000001';
  const created = await client.createWebhook(own, {
    webhook: {
      url: 'http://127.0.0.1:9/x',
      connectTimeout: 500,
      readTimeout: 500,
      description: 'Audit sink',
      tenantIds: [CLIENT_TENANT_ID],
      data: { team: 'a' },
    },
  });
  t.match(created.response.webhook, {
    id: own,
    global: false,
    tenantIds: [CLIENT_TENANT_ID],
    description: 'Audit sink',
    data: { team: 'a' },
    insertInstant: Number,
  });
  t.match((await client.retrieveWebhook(webhookId)).response.webhook, {
    url: receiver.url,
    signatureConfiguration: { enabled: true, signingKeyId },
    headers: { 'X-Api-Key': 'receiver-secret' },
  });
  t.same(
    (await client.retrieveWebhooks()).response.webhooks!.map((webhook) => webhook.id),
    [webhookId, own],
  );

  const patched = await client.patchWebhook(own, { webhook: { description: 'Renamed' } });
  t.match(patched.response.webhook, { description: 'Renamed', connectTimeout: 500, tenantIds: [CLIENT_TENANT_ID] });
  const updated = await client.updateWebhook(own, { webhook: { url: 'https://example.com/hook', connectTimeout: 100, readTimeout: 100 } });
  t.match(updated.response.webhook, { url: 'https://example.com/hook', global: false, tenantIds: [] });
  t.notOk(updated.response.webhook!.description, 'PUT replaces');

  const search = await client.searchWebhooks({ search: { url: 'example.com', numberOfResults: 10, startRow: 0 } });
  t.same(
    search.response.webhooks!.map((webhook) => webhook.id),
    [own],
  );
  t.equal(search.response.total, 1);
  await client.deleteWebhook(own);
  t.equal((await failureOf(client.retrieveWebhook(own))).statusCode, 404);

  const missing = await failureOf(client.createWebhook(null as never, { webhook: { connectTimeout: 1000, readTimeout: 1000 } }));
  t.equal(missing.statusCode, 400);
  t.equal(missing.exception.fieldErrors['webhook.url'][0].code, '[blank]webhook.url');
  const badKey = await failureOf(
    client.createWebhook(null as never, {
      webhook: { url: 'http://127.0.0.1/x', connectTimeout: 1, readTimeout: 1, signatureConfiguration: { enabled: true } },
    }),
  );
  t.ok(badKey.exception.fieldErrors['webhook.signatureConfiguration.signingKeyId'], 'signing needs a key');
  const badType = await failureOf(
    client.patchTenant(CLIENT_TENANT_ID, {
      tenant: { eventConfiguration: { events: { 'user.create': { enabled: true, transactionType: 'Most' } } } },
    } as never),
  );
  t.equal(badType.statusCode, 400, 'an unknown transactionType is refused');
});

t.test('the event log: search and retrieve through the client, list and wait through the control API', async (t) => {
  const { url, client, receiver, webhookId } = await startWebhookStandin(t, ['user.create']);
  const created = await client.createUser(null as never, { user: { email: 'logged@example.com', password: 'password1' } });
  const userId = created.response.user!.id!;

  const control = (path: string, method = 'GET') =>
    fetch(`${url}/_standin${path}`, { method, headers: { authorization: CLIENT_API_KEY } }).then((response) => response.json());
  const waited = await control('/events?type=user.create&wait=5000');
  t.equal(waited.events.length, 1);
  const [log] = waited.events;
  t.match(log, {
    eventType: 'user.create',
    eventResult: 'Succeeded',
    successfulAttempts: 1,
    event: { event: { type: 'user.create', user: { id: userId } } },
  });
  t.match(log.attempts[0], { webhookId, attemptResult: 'Success', webhookCallResponse: { statusCode: 200, url: receiver.url } });
  t.equal(log.event.event.id, (await receiver.waitFor('user.create')).event.id, 'the log holds the event as sent');

  const search = await client.searchWebhookEventLogs({ search: { eventType: 'user.create' as never, event: userId, numberOfResults: 5 } });
  t.equal(search.response.total, 1);
  t.equal((await client.retrieveWebhookEventLog(log.id)).response.webhookEventLog!.id, log.id);
  t.equal((await client.retrieveWebhookAttemptLog(log.attempts[0].id)).response.webhookAttemptLog!.webhookEventLogId, log.id);
  t.equal((await client.searchWebhookEventLogs({ search: { eventType: 'user.delete' as never } })).response.total, 0);

  t.same(await control('/events', 'DELETE'), { deleted: 1 });
  t.same((await control('/events?wait=100')).events, [], 'a wait with nothing matching answers empty');
});

t.test('a webhook hears only its tenants, and only the events it and the tenant enable', async (t) => {
  const { client, receiver, app, webhookId } = await startWebhookStandin(t, ['user.create', 'user.update']);
  await client.createTenant(OTHER_TENANT, {
    tenant: { name: 'Other', eventConfiguration: { events: { 'user.create': { enabled: true, transactionType: 'None' } } } },
  } as never);
  await client.createWebhook(null as never, {
    webhook: { url: receiver.url, connectTimeout: 500, readTimeout: 500, tenantIds: [OTHER_TENANT], eventsEnabled: { 'user.create': true } as never },
  });
  await client.patchWebhook(webhookId, { webhook: { eventsEnabled: { 'user.update': false } as never } });
  client.setTenantId(CLIENT_TENANT_ID);
  const user = await client.createUser(null as never, { user: { email: 'scoped@example.com', password: 'password1' } });
  await client.patchUser(user.response.user!.id!, { user: { firstName: 'Changed' } });
  client.setTenantId(OTHER_TENANT);
  await client.createUser(null as never, { user: { email: 'other@example.com', password: 'password1' } });
  await app.standin.events.queue.idle();
  const heard = receiver.received.map((entry) => [entry.event.type, entry.event.tenantId, entry.headers['x-api-key'] ?? 'scoped']);
  t.same(
    heard.sort(),
    [
      ['user.create', OTHER_TENANT, 'receiver-secret'],
      ['user.create', OTHER_TENANT, 'scoped'],
      ['user.create', CLIENT_TENANT_ID, 'receiver-secret'],
    ],
    'the global webhook hears both tenants, the scoped one only its own; user.update is off on the webhook',
  );
});

t.test("a deleted tenant leaves its webhooks' tenantIds, and a new tenant under its id is not heard", async (t) => {
  const { client, receiver, app } = await startWebhookStandin(t, ['user.create']);
  const configuration = { name: 'Other', eventConfiguration: { events: { 'user.create': { enabled: true, transactionType: 'None' } } } };
  await client.createTenant(OTHER_TENANT, { tenant: configuration } as never);
  const scoped = await client.createWebhook(null as never, {
    webhook: {
      url: receiver.url,
      connectTimeout: 500,
      readTimeout: 500,
      tenantIds: [CLIENT_TENANT_ID, OTHER_TENANT],
      eventsEnabled: { 'user.create': true } as never,
      headers: { 'X-Hook': 'scoped' },
    },
  });
  const id = scoped.response.webhook!.id!;
  await client.deleteTenant(OTHER_TENANT);
  t.same((await client.retrieveWebhook(id)).response.webhook!.tenantIds, [CLIENT_TENANT_ID], 'only the tenant that is left');
  t.equal((await client.patchWebhook(id, { webhook: { description: 'Still editable' } })).statusCode, 200, 'and the webhook can be changed');

  await client.createTenant(OTHER_TENANT, { tenant: configuration } as never);
  client.setTenantId(OTHER_TENANT);
  await client.createUser(null as never, { user: { email: 'newcomer@example.com', password: 'password1' } });
  await app.standin.events.queue.idle();
  t.same(
    receiver.received.filter((entry) => entry.headers['x-hook'] === 'scoped'),
    [],
    'the new tenant of the same id is not heard by the scoped webhook',
  );
});

t.test('a delivery under way when Standin stops is logged Failed, not Running for good after a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-webhook-stop-');
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  receiver.respond(200, 3000);
  const key = 'webhook-stop-api-key-0123456789abcdefgh';
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    kickstart: {
      variables: { defaultTenantId: CLIENT_TENANT_ID },
      apiKeys: [{ key }],
      requests: [
        {
          method: 'PATCH' as const,
          url: `/api/tenant/${CLIENT_TENANT_ID}`,
          body: { tenant: { eventConfiguration: { events: { 'user.create': { enabled: true } } } } },
        },
        {
          url: '/api/webhook',
          body: { webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 5000, global: true, eventsEnabled: { 'user.create': true } } },
        },
      ],
    },
  };
  const first = await startStandin(options);
  await new FusionAuthClient(key, first.url).createUser(null as never, { user: { email: 'stopping@example.com', password: 'password1' } });
  await receiver.waitFor('user.create');
  t.match(first.events({ type: 'user.create' }), [{ eventResult: 'Running' }], 'the receiver has not answered yet');
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  t.match(second.events({ type: 'user.create' }), [{ eventResult: 'Failed' }], 'after the restart');
});

t.test('startStandin() offers events(), waitForEvent() and clearEvents()', async (t) => {
  const { client, running } = await startWebhookStandin(t, ['user.create']);
  await t.rejects(running.waitForEvent({ type: 'user.create', timeoutMs: 50 }), /no event of type user\.create/);
  const created = await client.createUser(null as never, { user: { email: 'waited@example.com', password: 'password1' } });
  const log = await running.waitForEvent({ type: 'user.create' });
  t.equal((log.event.event as { user: { id: string } }).user.id, created.response.user!.id);
  t.equal(running.events({ tenantId: CLIENT_TENANT_ID }).length, 1);
  t.equal(running.clearEvents(), 1);
  t.same(running.events(), []);
});
