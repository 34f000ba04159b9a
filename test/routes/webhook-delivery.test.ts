import { createHash } from 'node:crypto';
import { jwtVerify } from 'jose';
import t, { type Test } from 'tap';
import { createEventService } from '../../src/events/event-service.js';
import { API_KEY, apiClient, buildEmptyApp, TENANT_ID } from '../helpers/fixtures.js';
import { control } from '../helpers/control.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

// Delivery (docs/webhooks.md, "Delivery" and "Faults"): retries of failed deliveries, none for a refused
// transaction, and faults that stand in for the receiver.

async function setup(t: Test, transactionType = 'None') {
  // Retries a few milliseconds apart instead of seconds, so the test sees them.
  const app = await buildEmptyApp(t);
  app.standin.events = createEventService(app.standin.stores, app.log, [5, 5, 5]);
  const api = apiClient(t, app);
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  await api('PATCH', `/api/tenant/${TENANT_ID}`, {
    tenant: { eventConfiguration: { events: { 'user.create': { enabled: true, transactionType } } } },
  });
  const created = await api('POST', '/api/webhook', {
    webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 300, global: true, eventsEnabled: { 'user.create': true } },
  });
  t.equal(created.status, 200);
  let n = 0;
  const createUser = () => api('POST', '/api/user', { user: { email: `user${++n}@example.com`, password: 'password1' } });
  const lastLog = async () => (await control(app, 'GET', '/_standin/events?type=user.create&limit=1')).json().events[0];
  return { app, api, receiver, webhookId: created.body.webhook.id as string, createUser, lastLog };
}

t.test('a failed delivery is retried up to three more times with the same event id', async (t) => {
  const { app, receiver, createUser, lastLog } = await setup(t);
  receiver.respond(500);
  t.equal((await createUser()).status, 200, 'transactionType None: the create stands');
  await receiver.waitFor('user.create');
  while (receiver.received.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
  await app.standin.events.queue.idle();
  t.equal(new Set(receiver.received.map((entry) => entry.event.id)).size, 1, 'one event, four deliveries');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(receiver.received.length, 4, 'no fifth attempt');
  t.match(await lastLog(), { eventResult: 'Succeeded', failedAttempts: 4, successfulAttempts: 0 });
  const inspect = await app.inject(`/_standin/inspect?key=${API_KEY}`);
  t.match(inspect.body, /<code>user\.create<\/code>[\s\S]*0 succeeded, 4 failed/, 'the inspect page lists the event and its deliveries');
  t.notMatch(inspect.body, receiver.received[0]!.event.id, 'without its payload');
});

t.test('a refused transaction is not retried', async (t) => {
  const { receiver, createUser, lastLog } = await setup(t, 'Any');
  receiver.respond(500);
  const refused = await createUser();
  t.equal(refused.status, 504);
  t.same(
    refused.body.generalErrors.map((error: { code: string }) => error.code),
    ['[WebhookTransactionException]'],
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(receiver.received.length, 1);
  t.match(await lastLog(), { eventResult: 'Failed', failedAttempts: 1 });
});

t.test('faults stand in for the receiver: a status, or a delay past readTimeout', async (t) => {
  const { app, receiver, webhookId, createUser, lastLog } = await setup(t, 'AbsoluteMajority');
  t.equal((await control(app, 'POST', '/_standin/faults', { path: `/_webhook/${webhookId}`, status: 503 })).statusCode, 201);
  t.equal((await createUser()).status, 504);
  t.match((await lastLog()).attempts[0].webhookCallResponse, { statusCode: 503 });
  t.equal(receiver.received.length, 0, 'the receiver was not asked');

  await control(app, 'POST', '/_standin/faults', { path: '/_webhook/*', delayMs: 400 });
  t.equal((await createUser()).status, 504);
  t.match((await lastLog()).attempts[0].webhookCallResponse, { exception: 'ReadTimeout' });

  t.equal((await createUser()).status, 200, 'faults used up: the receiver answers');
  t.equal(receiver.received.length, 1);
});

t.test('an HMAC key signs the body hash too', async (t) => {
  const { app, api, receiver, webhookId, createUser } = await setup(t);
  const key = await api('POST', '/api/key/generate', { key: { algorithm: 'HS256', name: 'Webhook HMAC' } });
  t.equal(
    (await api('PATCH', `/api/webhook/${webhookId}`, { webhook: { signatureConfiguration: { enabled: true, signingKeyId: key.body.key.id } } }))
      .status,
    200,
  );
  await createUser();
  const received = await receiver.waitFor('user.create');
  // The secret as Standin stores it (the Key API never shows it).
  const secret = Buffer.from(app.standin.stores.keys.get(key.body.key.id)!.privateKey!, 'base64');
  const { payload, protectedHeader } = await jwtVerify(received.headers['x-fusionauth-signature-jwt'] as string, secret);
  t.equal(protectedHeader.alg, 'HS256');
  t.same(payload, { request_body_sha256: createHash('sha256').update(received.raw).digest('base64') });
});

t.test('a failed delivery is not retried to a webhook that no longer hears the tenant of the event', async (t) => {
  const app = await buildEmptyApp(t);
  // Long enough for the webhook to be changed between the first delivery and its retry.
  app.standin.events = createEventService(app.standin.stores, app.log, [300, 300, 300]);
  const api = apiClient(t, app);
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  await api('PATCH', `/api/tenant/${TENANT_ID}`, { tenant: { eventConfiguration: { events: { 'user.create': { enabled: true } } } } });
  const other = (await api('POST', '/api/tenant', { tenant: { name: 'Other' } })).body.tenant.id as string;
  const webhook = await api('POST', '/api/webhook', {
    webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 300, tenantIds: [TENANT_ID], eventsEnabled: { 'user.create': true } },
  });
  t.equal(webhook.status, 200, 'a webhook of the first tenant');
  receiver.respond(500);
  const created = await api(
    'POST',
    '/api/user',
    { user: { email: 'gavin@example.com', password: 'password1' } },
    { 'x-fusionauth-tenantid': TENANT_ID },
  );
  t.equal(created.status, 200);
  await receiver.waitFor('user.create');
  const moved = await api('PATCH', `/api/webhook/${webhook.body.webhook.id}`, { webhook: { tenantIds: [other] } });
  t.equal(moved.status, 200, 'the webhook now hears only the other tenant');
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await app.standin.events.queue.idle();
  t.equal(receiver.received.length, 1, "no retry carries the first tenant's user to it");
});
