import { join } from 'node:path';
import { FusionAuthClient, type Integrations } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Integration API (https://fusionauth.io/docs/apis/integrations) through @fusionauth/typescript-client
// against a listening Standin: CleanSpeak and Kafka settings are stored while disabled, and enabling either answers
// [NotModelled] (Standin calls neither); kickstart, reset and restart.
const API_KEY = 'client-integrations-api-key-0123456789abc';
const BOUND_KEY = 'client-integrations-bound-key-0123456789a';
const TENANT = 'c0400000-0000-4000-8000-0000000000a1';

const kickstart = { variables: { defaultTenantId: TENANT }, apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: TENANT }] };
const start = (options: { db?: string; kickstart?: object } = {}) =>
  startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, ...options });

const DISABLED: Integrations = {
  cleanspeak: { enabled: false, url: 'http://localhost:8001', apiKey: 'cleanspeak-key', usernameModeration: { enabled: false } },
  kafka: { enabled: false, defaultTopic: 'fusionauth', producer: { 'bootstrap.servers': 'localhost:9092' } },
};

t.test('integrations are stored while disabled; enabling one is not modelled', async (t) => {
  const standin = await start();
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  t.same((await client.retrieveIntegration()).response.integrations, {
    cleanspeak: { enabled: false, usernameModeration: { enabled: false } },
    kafka: { enabled: false, producer: {} },
  });
  const updated = await client.updateIntegrations({ integrations: DISABLED });
  t.equal(updated.statusCode, 200);
  t.same(updated.response.integrations, DISABLED);
  t.same((await client.retrieveIntegration()).response.integrations, DISABLED);
  const patched = (await client.patchIntegrations({ integrations: { kafka: { defaultTopic: 'events' } } })).response.integrations!;
  t.equal(patched.kafka?.defaultTopic, 'events');
  t.equal(patched.cleanspeak?.apiKey, 'cleanspeak-key', 'a PATCH keeps the rest');

  for (const enabling of [
    { kafka: { enabled: true } },
    { cleanspeak: { enabled: true, url: 'http://localhost:8001', apiKey: 'k' } },
    { cleanspeak: { usernameModeration: { enabled: true } } },
  ]) {
    assertGeneralError(t, await settle(client.patchIntegrations({ integrations: enabling })), '[NotModelled]');
  }
  assertGeneralError(t, await settle(client.updateIntegrations({ integrations: { kafka: { enabled: true } } })), '[NotModelled]');
  t.same((await client.retrieveIntegration()).response.integrations, patched, 'nothing was stored');

  assertFieldError(
    t,
    await settle(client.updateIntegrations({ integrations: { twilio: { enabled: false } } as Integrations })),
    'integrations.twilio',
    'invalid',
  );
  assertFieldError(t, await settle(client.updateIntegrations({ integrations: { kafka: 5 } as Integrations })), 'integrations.kafka', 'invalid');
  const raw = await fetch(`${standin.url}/api/integration`, {
    method: 'PUT',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{',
  });
  t.equal(raw.status, 400, 'bad JSON is a 400');
  t.equal((await settle(new FusionAuthClient(BOUND_KEY, standin.url).retrieveIntegration())).statusCode, 401, 'a tenant’s key is refused');
});

t.test('a kickstart’s disabled integrations are replayed, enabled ones ignored; reset and restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-integrations-');
  const db = join(dir, 'standin.db');
  const first = await start({
    db,
    kickstart: {
      ...kickstart,
      requests: [
        { method: 'PUT', url: '/api/integration', body: { integrations: DISABLED } },
        { method: 'PATCH', url: '/api/integration', body: { integrations: { kafka: { enabled: true } } } },
      ],
    },
  });
  t.same(first.app.seedReport.ignored, ['PATCH /api/integration']);
  const client = new FusionAuthClient(API_KEY, first.url);
  t.same((await client.retrieveIntegration()).response.integrations, DISABLED);
  await client.patchIntegrations({ integrations: { kafka: { defaultTopic: 'changed' } } });
  first.reset();
  t.same((await client.retrieveIntegration()).response.integrations, DISABLED, 'the reset undid the change');
  await client.patchIntegrations({ integrations: { kafka: { defaultTopic: 'kept' } } });
  await first.close();

  const second = await start({ db });
  t.teardown(() => second.close());
  t.equal((await new FusionAuthClient(API_KEY, second.url).retrieveIntegration()).response.integrations?.kafka?.defaultTopic, 'kept');
});
