import { join } from 'node:path';
import { FusionAuthClient, MessageType, MessengerType, type MessageTemplate, type MessengerRequest } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle, startCliWithKickstart } from '../helpers/fixtures.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Message Template and Messenger APIs (https://fusionauth.io/docs/apis/message-templates,
// https://fusionauth.io/docs/apis/messengers) through @fusionauth/typescript-client against a listening Standin:
// templates and messengers stored and answered, never used to send; references from tenants, global keys only, a
// restart and a reset (docs/messengers.md).
const API_KEY = 'client-messengers-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'c0000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'client-messengers-other-tenant-key-0123456789';
const CODE_TEMPLATE = 'e0000000-0000-4000-8000-000000000001';
const TWILIO = 'e0000000-0000-4000-8000-0000000000a1';
const GENERIC = 'e0000000-0000-4000-8000-0000000000a2';
const UNKNOWN = 'e0999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
const AUTH_TOKEN = 'twilio-auth-token-secret-value';

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    {
      url: `/api/message/template/${CODE_TEMPLATE}`,
      body: {
        messageTemplate: {
          name: 'Two factor code',
          type: 'SMS',
          defaultTemplate: 'Your code is ${code}',
          localizedTemplates: { de: 'Ihr Code: ${code}' },
        },
      },
    },
    {
      url: `/api/messenger/${TWILIO}`,
      body: {
        messenger: {
          name: 'Twilio',
          type: 'Twilio',
          url: 'https://api.twilio.com',
          accountSID: 'AC123',
          authToken: AUTH_TOKEN,
          fromPhoneNumber: '+15555550100',
        },
      },
    },
  ],
};

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const otherTenant = new FusionAuthClient(OTHER_KEY, standin.url);

t.test('a kickstart’s message template and messenger requests are replayed, not ignored', async (t) => {
  t.same(standin.app.seedReport.ignored, []);
  t.match(banner(standin.app, 0), /Messengers that never send[^\n]*\n {2}Twilio {2}\(Twilio\)/);
  t.match((await client.retrieveMessageTemplate(CODE_TEMPLATE)).response.messageTemplate, {
    id: CODE_TEMPLATE,
    name: 'Two factor code',
    type: 'SMS',
    defaultTemplate: 'Your code is ${code}',
    localizedTemplates: { de: 'Ihr Code: ${code}' },
    data: {},
  });
});

t.test('message templates: create with or without an id, retrieve, update, patch, delete', async (t) => {
  const made = await client.createMessageTemplate(NO_ID, {
    messageTemplate: { name: 'Voice code', type: MessageType.Voice, defaultTemplate: 'Your code is ${code}' } as MessageTemplate,
  });
  t.equal(made.statusCode, 200);
  const id = made.response.messageTemplate!.id!;
  t.match(made.response.messageTemplate, { name: 'Voice code', type: 'Voice', localizedTemplates: {} });
  t.type(made.response.messageTemplate!.insertInstant, 'number');
  t.same(
    (await client.retrieveMessageTemplates()).response.messageTemplates!.map((template) => template.name),
    ['Two factor code', 'Voice code'],
  );
  const patched = await client.patchMessageTemplate(id.toUpperCase(), { messageTemplate: { name: 'Call code' } });
  t.match(patched.response.messageTemplate, { id, name: 'Call code', defaultTemplate: 'Your code is ${code}', type: 'Voice' });
  const replaced = await client.updateMessageTemplate(id, {
    messageTemplate: { name: 'Call', type: MessageType.SMS, defaultTemplate: 'Code ${code}' } as MessageTemplate,
  });
  t.match(replaced.response.messageTemplate, { name: 'Call', type: 'Voice', defaultTemplate: 'Code ${code}' }, 'the type stays');
  t.equal((await client.deleteMessageTemplate(id)).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveMessageTemplate(id)), 404);
  assertEmpty(t, await settle(client.deleteMessageTemplate(id)), 404);
});

t.test('a message template is refused as FusionAuth refuses it', async (t) => {
  const sms = (fields: Record<string, unknown>) => ({ messageTemplate: { type: 'SMS', ...fields } as MessageTemplate });
  assertFieldError(t, await settle(client.createMessageTemplate(NO_ID, sms({ defaultTemplate: 'x' }))), 'messageTemplate.name', 'blank');
  assertFieldError(t, await settle(client.createMessageTemplate(NO_ID, sms({ name: 'x' }))), 'messageTemplate.defaultTemplate', 'blank');
  assertFieldError(
    t,
    await settle(client.createMessageTemplate(CODE_TEMPLATE, sms({ name: 'x', defaultTemplate: 'x' }))),
    'messageTemplateId',
    'duplicate',
  );
  assertGeneralError(
    t,
    await settle(client.createMessageTemplate(NO_ID, { messageTemplate: { name: 'x', defaultTemplate: 'x' } as MessageTemplate })),
    '[invalidJSON]',
  );
  assertGeneralError(t, await settle(client.createMessageTemplate(NO_ID, sms({ name: 'x', defaultTemplate: 'x', type: 'Email' }))), '[invalidJSON]');
  assertEmpty(t, await settle(client.updateMessageTemplate(UNKNOWN, sms({ name: 'x', defaultTemplate: 'x' }))), 404);
  t.equal((await client.retrieveMessageTemplates()).response.messageTemplates!.length, 1, 'nothing refused was stored');
});

t.test('messengers: Twilio answers its credentials as FusionAuth does; Generic and Kafka with their own members', async (t) => {
  const twilio = (await client.retrieveMessenger(TWILIO)).response.messenger as Record<string, unknown>;
  t.match(twilio, {
    id: TWILIO,
    name: 'Twilio',
    type: 'Twilio',
    url: 'https://api.twilio.com',
    accountSID: 'AC123',
    authToken: AUTH_TOKEN,
    fromPhoneNumber: '+15555550100',
    debug: false,
    messageTypes: ['SMS'],
    transport: 'sms',
    data: {},
  });
  const generic = await client.createMessenger(GENERIC.toUpperCase(), {
    messenger: {
      name: 'Gateway',
      type: MessengerType.Generic,
      url: 'https://sms.example.com/send',
      connectTimeout: 1000,
      readTimeout: 2000,
      headers: { 'X-Api-Key': 'header-secret' },
      httpAuthenticationUsername: 'fusionauth',
      httpAuthenticationPassword: 'basic-secret',
      messageTypes: ['SMS', 'Voice'],
      accountSID: 'not a Generic member',
    },
  } as MessengerRequest);
  t.equal(generic.statusCode, 200);
  t.match(generic.response.messenger, {
    id: GENERIC,
    type: 'Generic',
    connectTimeout: 1000,
    readTimeout: 2000,
    headers: { 'X-Api-Key': 'header-secret' },
    httpAuthenticationPassword: 'basic-secret',
    messageTypes: ['SMS', 'Voice'],
  });
  t.notOk('accountSID' in generic.response.messenger!, 'members of another type are dropped');
  const kafka = (
    await client.createMessenger(NO_ID, {
      messenger: { name: 'Kafka', type: MessengerType.Kafka, defaultTopic: 'sms', producer: { 'bootstrap.servers': 'localhost:9092' } },
    } as MessengerRequest)
  ).response.messenger!;
  t.match(kafka, { type: 'Kafka', defaultTopic: 'sms', producer: { 'bootstrap.servers': 'localhost:9092' } });
  t.same(
    (await client.retrieveMessengers()).response.messengers!.map((messenger) => messenger.name),
    ['Gateway', 'Kafka', 'Twilio'],
  );
  const patched = await client.patchMessenger(GENERIC, { messenger: { readTimeout: 5000, type: MessengerType.Twilio } } as MessengerRequest);
  t.match(patched.response.messenger, { type: 'Generic', readTimeout: 5000, url: 'https://sms.example.com/send' }, 'the type stays');
  const replaced = await client.updateMessenger(kafka.id!, {
    messenger: { name: 'Kafka topic', type: MessengerType.Kafka, defaultTopic: 'texts' },
  } as MessengerRequest);
  t.match(replaced.response.messenger, { name: 'Kafka topic', defaultTopic: 'texts', producer: {} });
  t.equal((await client.deleteMessenger(kafka.id!)).statusCode, 200);
  assertEmpty(t, await settle(client.retrieveMessenger(kafka.id!)), 404);
});

t.test('a messenger is refused as FusionAuth refuses it', async (t) => {
  const create = (messenger: Record<string, unknown>) => settle(client.createMessenger(NO_ID, { messenger }));
  assertGeneralError(t, await create({ name: 'No type' }), '[invalidJSON]');
  assertGeneralError(t, await create({ name: 'Carrier pigeon', type: 'Pigeon' }), '[invalidJSON]');
  const twilio = await create({ type: 'Twilio' });
  for (const field of ['messenger.name', 'messenger.url', 'messenger.accountSID', 'messenger.fromPhoneNumber'])
    assertFieldError(t, twilio, field, 'blank');
  const generic = await create({ name: 'G', type: 'Generic', url: 'ftp://x', connectTimeout: 0 });
  assertFieldError(t, generic, 'messenger.url', 'invalid');
  assertFieldError(t, generic, 'messenger.connectTimeout', 'invalid');
  assertFieldError(t, generic, 'messenger.readTimeout', 'blank');
  assertFieldError(
    t,
    await create({ name: 'G', type: 'Generic', url: 'https://x.example', connectTimeout: 1, readTimeout: 1, sslCertificateId: UNKNOWN }),
    'messenger.sslCertificateId',
    'invalid',
  );
  assertFieldError(t, await create({ name: 'K', type: 'Kafka' }), 'messenger.defaultTopic', 'blank');
  assertFieldError(t, await create({ name: 'Twilio', type: 'Kafka', defaultTopic: 't' }), 'messenger.name', 'duplicate');
  assertFieldError(t, await create({ name: 'M', type: 'Kafka', defaultTopic: 't', messageTypes: ['Email'] }), 'messenger.messageTypes', 'invalid');
  assertFieldError(
    t,
    await settle(client.createMessenger(TWILIO, { messenger: { name: 'Again', type: MessengerType.Kafka, defaultTopic: 't' } } as MessengerRequest)),
    'messengerId',
    'duplicate',
  );
  const twilioViaMessagingService = await create({
    name: 'Copilot',
    type: 'Twilio',
    url: 'https://api.twilio.com',
    accountSID: 'AC1',
    messagingServiceSid: 'MG1',
  });
  t.equal(twilioViaMessagingService.statusCode, 200, 'a messaging service stands in for the phone number');
  await client.deleteMessenger((twilioViaMessagingService.response as { messenger: { id: string } }).messenger.id);
  const bad = await fetch(`${standin.url}/api/messenger`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{"messenger":',
  });
  t.equal(bad.status, 400, 'bad JSON is a 400');
});

t.test('a messenger or template a tenant names is not deleted; the SMS method may name a Generic messenger', async (t) => {
  const tenantClient = new FusionAuthClient(API_KEY, standin.url);
  await tenantClient.patchTenant(OTHER_TENANT, {
    tenant: { phoneConfiguration: { messengerId: GENERIC.toUpperCase(), verificationTemplateId: CODE_TEMPLATE } },
  });
  const messengerInUse = await settle(client.deleteMessenger(GENERIC));
  assertFieldError(t, messengerInUse, 'messengerId', 'inUse');
  t.match(messengerInUse.exception!.fieldErrors!.messengerId![0]!.message, /Other/);
  assertFieldError(t, await settle(client.deleteMessageTemplate(CODE_TEMPLATE)), 'messageTemplateId', 'inUse');
  const sms = await settle(
    tenantClient.patchTenant(OTHER_TENANT, {
      tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId: GENERIC, templateId: CODE_TEMPLATE } } },
    }),
  );
  t.equal(sms.statusCode, 200, 'SMS two-factor sends through a Generic messenger (client-two-factor-sms.test.ts)');
  assertFieldError(
    t,
    await settle(
      tenantClient.patchTenant(OTHER_TENANT, { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId: null } } } } as never),
    ),
    'tenant.multiFactorConfiguration.sms.messengerId',
    'blank',
  );
  await tenantClient.patchTenant(OTHER_TENANT, {
    tenant: {
      phoneConfiguration: { messengerId: null, verificationTemplateId: null },
      multiFactorConfiguration: { sms: { enabled: false, messengerId: null, templateId: null } },
    },
  } as never);
  t.equal((await client.deleteMessageTemplate(CODE_TEMPLATE)).statusCode, 200, 'free once no tenant names it');
});

t.test('message templates and messengers belong to no tenant: a tenant-bound key may not call their APIs', async (t) => {
  assertEmpty(t, await settle(otherTenant.retrieveMessengers()), 401);
  assertEmpty(t, await settle(otherTenant.retrieveMessenger(TWILIO)), 401);
  assertEmpty(t, await settle(otherTenant.retrieveMessageTemplates()), 401);
  assertEmpty(
    t,
    await settle(otherTenant.createMessageTemplate(NO_ID, { messageTemplate: { name: 'x', type: 'SMS', defaultTemplate: 'x' } as MessageTemplate })),
    401,
  );
});

t.test('a reset takes back what was made since start-up', async (t) => {
  standin.reset();
  t.same(
    (await client.retrieveMessengers()).response.messengers!.map((messenger) => messenger.id),
    [TWILIO],
  );
  t.same(
    (await client.retrieveMessageTemplates()).response.messageTemplates!.map((template) => template.id),
    [CODE_TEMPLATE],
  );
});

t.test('templates and messengers survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-messengers-');
  const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, kickstart };
  const first = await startStandin(options);
  const firstClient = new FusionAuthClient(API_KEY, first.url);
  const generic = (
    await firstClient.createMessenger(NO_ID, {
      messenger: { name: 'Later', type: MessengerType.Generic, url: 'https://x.example', connectTimeout: 1, readTimeout: 1 },
    } as MessengerRequest)
  ).response.messenger!;
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  const secondClient = new FusionAuthClient(API_KEY, second.url);
  t.same((await secondClient.retrieveMessenger(generic.id!)).response.messenger, generic);
  t.match((await secondClient.retrieveMessageTemplate(CODE_TEMPLATE)).response.messageTemplate, { name: 'Two factor code' });
});

t.test('no messenger credential reaches the log, even at debug level', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'debug', folderPrefix: 'standin-messengers-log-' });
  const cliClient = new FusionAuthClient(API_KEY, cli.url);
  await cliClient.createMessenger(NO_ID, {
    messenger: {
      name: 'Logged?',
      type: MessengerType.Generic,
      url: 'https://x.example',
      connectTimeout: 1,
      readTimeout: 1,
      httpAuthenticationPassword: 'basic-password-never-logged',
      headers: { Authorization: 'header-secret-never-logged' },
    },
  } as MessengerRequest);
  t.match((await cliClient.retrieveMessenger(TWILIO)).response.messenger, { authToken: AUTH_TOKEN }, 'answered, as FusionAuth does');
  const log = cli.stdout() + cli.stderr();
  t.match(log, /messenger/, 'the requests were logged');
  for (const secret of [AUTH_TOKEN, 'basic-password-never-logged', 'header-secret-never-logged']) t.notMatch(log, secret);
});
