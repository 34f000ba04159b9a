import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startCliWithKickstart } from '../helpers/cli.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

// Webhooks set up by a kickstart, as FusionAuth's all-webhooks example does, whose deliveries fail, through the real
// CLI at `trace`: the log says which webhook failed and why, and never its credentials, its headers, its URL's
// query or the event it carried (docs/webhooks.md, "Security").
const API_KEY = 'webhook-log-api-key-0123456789abcdefghij';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const HOOK_PASSWORD = 'basic-password-never-logged-77';
const HEADER_SECRET = 'header-secret-never-logged-78';
const USER_PASSWORD = 'user-password-never-logged-79';

t.test('a kickstart configures webhooks; failed deliveries are logged without secrets', async (t) => {
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  receiver.respond(500);
  const webhook = (url: string) => ({
    method: 'POST',
    url: '/api/webhook',
    body: {
      webhook: {
        url,
        connectTimeout: 1000,
        readTimeout: 2000,
        global: true,
        eventsEnabled: { 'user.create': true },
        headers: { 'X-Secret': HEADER_SECRET },
        httpAuthenticationUsername: 'u',
        httpAuthenticationPassword: HOOK_PASSWORD,
      },
    },
  });
  const kickstart = {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: { tenant: { eventConfiguration: { events: { 'user.create': { enabled: true, transactionType: 'None' } } } } },
      },
      webhook(receiver.url),
      // Nothing listens on port 9 (discard) on a test box: the connection is refused.
      webhook('http://127.0.0.1:9/hook?token=url-token-never-logged-80'),
    ],
  };
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'trace', folderPrefix: 'standin-webhook-log-' });

  const client = new FusionAuthClient(API_KEY, cli.url);
  await client.createUser(null as never, { user: { email: 'logged@example.com', password: USER_PASSWORD } });
  const settled = await fetch(`${cli.url}/_standin/events?type=user.create&wait=5000`, { headers: { authorization: API_KEY } }).then((response) =>
    response.json(),
  );
  t.equal(settled.events[0].failedAttempts, 2, 'both deliveries failed');
  t.same(
    settled.events[0].attempts.map((attempt: any) => attempt.webhookCallResponse.statusCode ?? attempt.webhookCallResponse.exception).sort(),
    [500, 'ECONNREFUSED'].sort(),
  );
  t.equal(receiver.received[0]!.headers['x-secret'], HEADER_SECRET, 'the receiver got the header');

  t.equal(await cli.stop(), 0);
  const log = cli.stdout() + cli.stderr();
  // At least once each (a retry may have run before the stop).
  t.ok(log.split('\n').filter((line) => line.includes('webhook delivery failed')).length >= 2, 'each failure is logged');
  for (const secret of [
    HOOK_PASSWORD,
    HEADER_SECRET,
    USER_PASSWORD,
    'url-token-never-logged-80',
    Buffer.from(`u:${HOOK_PASSWORD}`).toString('base64'),
  ]) {
    t.notOk(log.includes(secret), `no ${secret.split('-')[0]} secret in the log`);
  }
});
