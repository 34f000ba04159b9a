import t from 'tap';
import { CLIENT_TENANT_ID, failureOf, WEB_APP } from '../helpers/fixtures.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// Transactional events (docs/webhooks.md, "Transactions"): the write waits for the webhooks and is refused with
// FusionAuth's 504 when too few accept it (https://fusionauth.io/docs/extend/events-and-webhooks/).
const TRANSACTION_FAILED = '[WebhookTransactionException]';

t.test('user.create under transactionType Any: a 500 from the webhook refuses the create, a 200 lets it through', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, ['user.create', 'user.create.complete'], 'Any');
  receiver.respond(500);
  const refused = await failureOf(client.createUser(null as never, { user: { email: 'refused@example.com', password: 'password1' } }));
  t.equal(refused.statusCode, 504);
  t.equal(refused.exception.generalErrors[0].code, TRANSACTION_FAILED);
  const attempted = receiver.received.find((entry) => entry.event.type === 'user.create');
  t.ok(attempted, 'the webhook was asked first');
  const lookup = await failureOf(client.retrieveUserByEmail('refused@example.com'));
  t.equal(lookup.statusCode, 404, 'nothing was written');
  const failedLog = await client.searchWebhookEventLogs({ search: { eventType: 'user.create' as never } });
  t.equal(failedLog.response.webhookEventLogs![0]!.eventResult, 'Failed');
  t.notOk(
    receiver.received.some((entry) => entry.event.type === 'user.create.complete'),
    'no .complete for a refused create',
  );

  receiver.respond(200);
  const created = await client.createUser(null as never, { user: { email: 'accepted@example.com', password: 'password1' } });
  t.equal(created.statusCode, 200);
  t.equal((await client.retrieveUserByEmail('accepted@example.com')).response.user!.id, created.response.user!.id);
  await receiver.waitFor('user.create.complete');
  const logs = await client.searchWebhookEventLogs({ search: { eventType: 'user.create' as never } });
  t.same(
    logs.response.webhookEventLogs!.map((log) => log.eventResult),
    ['Succeeded', 'Failed'],
    'newest first',
  );
});

t.test('a slow webhook times out and counts as a failure', async (t) => {
  const { client, receiver, webhookId } = await startWebhookStandin(t, ['user.registration.create'], 'AbsoluteMajority');
  await client.patchWebhook(webhookId, { webhook: { readTimeout: 200 } });
  receiver.respond(200, 1500);
  const refused = await failureOf(
    client.register(null as never, { user: { email: 'slow@example.com', password: 'password1' }, registration: { applicationId: WEB_APP } }),
  );
  t.equal(refused.statusCode, 504);
  t.equal((await failureOf(client.retrieveUserByEmail('slow@example.com'))).statusCode, 404, 'neither the user nor the registration was written');
  const log = (await client.searchWebhookEventLogs({ search: { eventType: 'user.registration.create' as never } })).response.webhookEventLogs![0]!;
  t.match(log, {
    eventResult: 'Failed',
    failedAttempts: 1,
    attempts: [{ attemptResult: 'Failure', webhookId, webhookCallResponse: { exception: 'ReadTimeout' } }],
  });
});

t.test('with transactionType None a failing webhook changes nothing', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, ['user.registration.create'], 'None');
  receiver.respond(503);
  const registered = await client.register(null as never, {
    user: { email: 'fine@example.com', password: 'password1' },
    registration: { applicationId: WEB_APP },
  });
  t.equal(registered.statusCode, 200);
  const event = await receiver.waitFor('user.registration.create');
  t.match(event.event, {
    applicationId: WEB_APP,
    tenantId: CLIENT_TENANT_ID,
    registration: { applicationId: WEB_APP, id: registered.response.registration!.id },
    user: { id: registered.response.user!.id },
  });
});
