import t from 'tap';
import { API_KEY, apiClient, buildEmptyApp, TENANT_ID, testKickstart } from '../helpers/fixtures.js';

// The Webhook API's edges (docs/webhooks.md): instance-wide, so a tenant-bound API key may not touch it; unknown
// ids get FusionAuth's empty 404.
const BOUND_KEY = 'tenant-bound-key-0123456789-abcdefghijklmnop';
const UNKNOWN = 'cccccccc-0000-4000-8000-000000000009';

t.test('webhooks and their event log need an API key that is not bound to a tenant', async (t) => {
  const app = await buildEmptyApp(t, { kickstart: { ...testKickstart(), apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: TENANT_ID }] } });
  const api = apiClient(t, app);
  const webhook = { url: 'http://127.0.0.1:1/x', connectTimeout: 100, readTimeout: 100, global: true, httpAuthenticationPassword: 'hook-secret' };
  const created = await api('POST', '/api/webhook', { webhook });
  t.equal(created.status, 200);
  const id = created.body.webhook.id;
  for (const [method, url] of [
    ['GET', '/api/webhook'],
    ['GET', `/api/webhook/${id}`],
    ['DELETE', `/api/webhook/${id}`],
    ['GET', '/api/webhook/search'],
    ['GET', '/api/system/webhook-event-log/search'],
  ] as const) {
    const refused = await api(method, url, undefined, { authorization: BOUND_KEY });
    t.equal(refused.status, 401, `${method} ${url} with a tenant-bound key`);
    t.notMatch(refused.raw.body, 'hook-secret');
  }
  t.equal((await api('GET', `/api/webhook/${id}`)).status, 200, 'the webhook is still there');
  t.equal((await api('GET', `/api/webhook/${UNKNOWN}`)).status, 404);
  t.equal((await api('GET', `/api/webhook/${UNKNOWN}`)).raw.body, '');
  t.equal((await api('GET', `/api/system/webhook-event-log/${UNKNOWN}`)).status, 404);
  t.equal((await api('GET', `/api/system/webhook-attempt-log/${UNKNOWN}`)).status, 404);
  t.equal((await api('GET', '/api/system/webhook-event-log/search?eventResult=Nope')).status, 400);
  t.equal((await api('POST', '/api/webhook', { webhook: { ...webhook, url: 'ftp://example.com/' } })).status, 400);
  t.equal((await api('POST', `/api/webhook/${id}`, { webhook })).status, 400, 'a duplicate id');
});
