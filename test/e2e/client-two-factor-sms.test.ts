import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { startCliWithKickstart } from '../helpers/cli.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's SMS two-factor method through a Generic messenger, driven by @fusionauth/typescript-client (docs/two-factor.md,
// "The SMS method"; docs/messengers.md): a loopback HTTP server started here stands in for the SMS gateway and records
// what Standin POSTs to it (https://fusionauth.io/docs/customize/email-and-messages/generic-messenger).
const API_KEY = 'two-factor-sms-api-key-0123456789abcdef';
const OTHER_KEY = 'two-factor-sms-other-key-0123456789abcdef';
const OTHER_TENANT = 'f5000000-0000-4000-8000-000000000001';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'f1000000-0000-4000-8000-000000000001';
const USER = 'f2000000-0000-4000-8000-000000000001';
const GENERIC = 'f3000000-0000-4000-8000-000000000001';
const SLOW = 'f3000000-0000-4000-8000-000000000002';
const DOWN = 'f3000000-0000-4000-8000-000000000003';
const TWILIO = 'f3000000-0000-4000-8000-000000000004';
const TEMPLATE = 'f4000000-0000-4000-8000-000000000001';
const LOGIN = { loginId: 'dinesh@example.com', password: 'password1', applicationId: APP };
const PHONE = '+15555550123';
const BASIC_USER = 'standin-gateway';
const BASIC_PASSWORD = 'gateway-password-never-logged';
const HEADER_SECRET = 'header-secret-never-logged';
const T0 = Date.UTC(2030, 0, 1, 0, 0, 5);

/** What the gateway stand-in received. */
interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** How the gateway stand-in answers: 200, 500, or never (until the test ends). */
let gatewayMode: 'ok' | 'fail' | 'hang' = 'ok';
const received: Received[] = [];
const gateway: Server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({
      url: request.url ?? '',
      headers: request.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
    });
    if (gatewayMode === 'hang') return;
    response.writeHead(gatewayMode === 'ok' ? 200 : 500, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
const gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
t.teardown(() => {
  gateway.closeAllConnections();
  gateway.close();
});

// A gateway that is down: it drops every connection before answering. (A closed port could be handed to another
// server started later, Standin's own included, so this one keeps its port.)
const down = createServer();
down.on('connection', (socket) => socket.destroy());
await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
const downUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/sms`;
t.teardown(() => {
  down.close();
});

const genericMessenger = (name: string, url: string, timeouts = { connectTimeout: 1000, readTimeout: 2000 }) => ({
  name,
  type: 'Generic',
  url,
  ...timeouts,
  headers: { 'X-Gateway-Secret': HEADER_SECRET },
  httpAuthenticationUsername: BASIC_USER,
  httpAuthenticationPassword: BASIC_PASSWORD,
});

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    { url: `/api/messenger/${GENERIC}`, body: { messenger: genericMessenger('Gateway', gatewayUrl) } },
    { url: `/api/messenger/${SLOW}`, body: { messenger: genericMessenger('Slow gateway', gatewayUrl, { connectTimeout: 100, readTimeout: 200 }) } },
    { url: `/api/messenger/${DOWN}`, body: { messenger: genericMessenger('Down gateway', downUrl) } },
    {
      url: `/api/messenger/${TWILIO}`,
      body: {
        messenger: {
          name: 'Twilio',
          type: 'Twilio',
          url: 'https://api.twilio.com',
          accountSID: 'AC1',
          authToken: 't',
          fromPhoneNumber: '+15555550000',
        },
      },
    },
    {
      url: `/api/message/template/${TEMPLATE}`,
      body: { messageTemplate: { name: 'MFA text', type: 'SMS', defaultTemplate: 'Code ${code} for ${mobilePhone} (${user.email})' } },
    },
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: {
        tenant: {
          externalIdentifierConfiguration: { twoFactorOneTimeCodeIdTimeToLiveInSeconds: 120 },
          multiFactorConfiguration: { sms: { enabled: true, messengerId: GENERIC, templateId: TEMPLATE } },
        },
      },
    },
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Hooli' } } },
    {
      url: `/api/application/${APP}`,
      tenantId: TENANT,
      body: { application: { name: 'Pied Piper', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } } },
    },
    {
      url: `/api/user/registration/${USER}`,
      tenantId: TENANT,
      body: { user: { email: LOGIN.loginId, password: LOGIN.password }, registration: { applicationId: APP } },
    },
  ],
};

const dir = temporaryFolder(t, 'standin-two-factor-sms-');
const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, now: () => T0, kickstart };
let standin = await startStandin(options);
let stopped = false;
t.teardown(async () => {
  if (!stopped) await standin.close();
});
let client = new FusionAuthClient(API_KEY, standin.url);
let methodId = '';

/** The control API's SMS outbox (`GET /_standin/sms`), newest first. */
async function outbox(query = ''): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${standin.url}/_standin/sms${query}`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as { messages: Array<Record<string, unknown>> }).messages;
}

/** The code in the newest message the gateway received. */
function textedCode(t: Test): string {
  const code = received.at(-1)?.body.code;
  t.match(code, /^\d{6}$/, "six digits, FusionAuth's default twoFactorOneTimeCodeIdGenerator");
  return code as string;
}

const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function useMessenger(messengerId: string): Promise<void> {
  await client.patchTenant(TENANT, { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId } } } });
}

t.test('enrolment: the gateway receives the JSON FusionAuth sends, with the headers and basic auth; the code enables the phone', async (t) => {
  received.length = 0;
  const sent = await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE });
  t.equal(sent.statusCode, 200);
  t.equal(received.length, 1, 'one POST');
  const [request] = received;
  const code = textedCode(t);
  t.same(request!.body, { code, phoneNumber: PHONE, textMessage: `Code ${code} for ${PHONE} (${LOGIN.loginId})`, type: 'SMS', userId: USER });
  t.equal(request!.url, '/sms');
  t.match(request!.headers['content-type'], /^application\/json/);
  t.equal(request!.headers['x-gateway-secret'], HEADER_SECRET);
  t.equal(request!.headers.authorization, `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}`);

  const [message] = await outbox(`?to=${encodeURIComponent(PHONE)}`);
  t.match(message, {
    type: 'twoFactorCode',
    messageType: 'SMS',
    phoneNumber: PHONE,
    code,
    messengerId: GENERIC,
    userId: USER,
    delivery: 'sent',
    status: 200,
  });
  t.notOk(JSON.stringify(message).includes(BASIC_PASSWORD), 'the outbox keeps no credential');

  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'sms', code })), 'mobilePhone', 'blank');
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'sms', code, mobilePhone: 'call me' })), 'mobilePhone', 'invalid');
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'sms', code: wrongOf(code), mobilePhone: PHONE })), 421);
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'sms', code, mobilePhone: '+15555550999' })), 421); // bound to the phone it went to
  const enabled = await client.enableTwoFactor(USER, { method: 'sms', code, mobilePhone: PHONE });
  t.equal(enabled.response.recoveryCodes!.length, 10);
  const methods = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;
  t.match(methods, [{ method: 'sms', mobilePhone: PHONE }]);
  methodId = methods[0]!.id!;
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'sms', code, mobilePhone: PHONE })), 421); // the code worked once
});

t.test('send field errors: [blank]mobilePhone, [invalid]mobilePhone; voice is [NotModelled]', async (t) => {
  assertFieldError(t, await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms' })), 'mobilePhone', 'blank');
  assertFieldError(
    t,
    await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: 'x' })),
    'mobilePhone',
    'invalid',
  );
  assertGeneralError(
    t,
    await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'voice', mobilePhone: PHONE })),
    '[NotModelled]',
  );
});

t.test('login: 242 lists the SMS method; the texted code finishes twoFactorLogin once, a wrong one is 421', async (t) => {
  const first = await settle(client.login(LOGIN));
  t.equal(first.statusCode, 242);
  const { twoFactorId, methods } = first.response as { twoFactorId: string; methods: Array<Record<string, unknown>> };
  t.match(methods, [{ id: methodId, method: 'sms', mobilePhone: PHONE }]);
  received.length = 0;
  t.equal((await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId })).statusCode, 200);
  const code = textedCode(t);
  t.match(received[0]!.body, { phoneNumber: PHONE, type: 'SMS', userId: USER });
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code: wrongOf(code), applicationId: APP })), 421);
  const done = await client.twoFactorLogin({ twoFactorId, code, applicationId: APP });
  t.equal(done.statusCode, 200);
  t.ok(done.response.token, 'a JWT');
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code, applicationId: APP })), 404); // the login is finished
});

t.test('a gateway that answers 500, is down or does not answer in time: 400 [SendFailed], recorded as failed, and no code', async (t) => {
  const { twoFactorId } = (await settle(client.login(LOGIN))).response as { twoFactorId: string };
  gatewayMode = 'fail';
  received.length = 0;
  const failed = await settle(client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId }));
  assertGeneralError(t, failed, '[SendFailed]');
  t.match(JSON.stringify(failed.exception), /HTTP 500/);
  const code = textedCode(t);
  t.match((await outbox())[0], { delivery: 'failed', status: 500, code });
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId, code, applicationId: APP })), 421); // a failed send leaves no code

  await useMessenger(DOWN);
  const down = await settle(client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId }));
  assertGeneralError(t, down, '[SendFailed]');
  t.match(JSON.stringify(down.exception), /could not be reached/);
  t.notMatch(JSON.stringify(down.exception), /127\.0\.0\.1/, 'the answer names no URL');

  gatewayMode = 'hang';
  await useMessenger(SLOW);
  const slow = await settle(client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId }));
  assertGeneralError(t, slow, '[SendFailed]');
  t.match(JSON.stringify(slow.exception), /did not answer within 300 ms/);
  t.match((await outbox())[0], { delivery: 'failed', messengerId: SLOW });

  gatewayMode = 'ok';
  await useMessenger(GENERIC);
  t.equal((await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId })).statusCode, 200, 'back up: sent');
  t.equal((await client.twoFactorLogin({ twoFactorId, code: textedCode(t), applicationId: APP })).statusCode, 200);
});

t.test('a Twilio messenger never sends: [NotModelled] naming its type, nothing posted', async (t) => {
  await useMessenger(TWILIO);
  received.length = 0;
  const before = (await outbox()).length;
  const refused = await settle(client.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId }));
  assertGeneralError(t, refused, '[NotModelled]');
  t.match(JSON.stringify(refused.exception), /Twilio/);
  t.equal(received.length, 0);
  t.equal((await outbox()).length, before, 'nothing tried');
  await useMessenger(GENERIC);
});

t.test('a key bound to another tenant cannot send to the user (an empty 404), and nothing is texted', async (t) => {
  received.length = 0;
  const other = new FusionAuthClient(OTHER_KEY, standin.url);
  assertEmpty(t, await settle(other.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE })), 404);
  assertEmpty(t, await settle(other.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId })), 404);
  t.equal(received.length, 0);
});

t.test('turning the method on needs a messenger: [blank]…sms.messengerId', async (t) => {
  assertFieldError(
    t,
    await settle(client.patchTenant(TENANT, { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId: null } } } } as never)),
    'tenant.multiFactorConfiguration.sms.messengerId',
    'blank',
  );
});

t.test('disable: send {userId, methodId} texts a code to the method; disableTwoFactor takes it once', async (t) => {
  received.length = 0;
  t.equal((await client.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId })).statusCode, 200);
  const code = textedCode(t);
  t.equal(received[0]!.body.phoneNumber, PHONE);
  assertEmpty(t, await settle(client.disableTwoFactor(USER, methodId, wrongOf(code))), 421);
  t.equal((await client.disableTwoFactor(USER, methodId, code)).statusCode, 200);
  t.same((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, []);
  t.equal((await settle(client.login(LOGIN))).statusCode, 200, 'the login asks for nothing more');
  // Enrolled again for the tests that follow.
  await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE });
  await client.enableTwoFactor(USER, { method: 'sms', mobilePhone: PHONE, code: textedCode(t) });
  methodId = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods![0]!.id!;
});

t.test('the control API lists and clears the SMS outbox', async (t) => {
  const all = await outbox();
  t.ok(all.length >= 4);
  t.same(await outbox('?to=%2B19999999999'), [], 'filtered by phone');
  t.equal((await outbox('?limit=1')).length, 1);
  t.same(standin.smsMessages({ to: PHONE }), await outbox(`?to=${encodeURIComponent(PHONE)}`), 'startStandin() lists the same');
  t.equal((await fetch(`${standin.url}/_standin/sms`)).status, 401, 'the control API needs an API key');
  const cleared = await fetch(`${standin.url}/_standin/sms`, { method: 'DELETE', headers: { authorization: API_KEY } });
  t.same(await cleared.json(), { deleted: all.length });
  t.same(await outbox(), []);
});

t.test('the method and the outbox survive a restart; a reset puts back the start-up state', async (t) => {
  await client.sendTwoFactorCodeForEnableDisable({ userId: USER, methodId });
  await standin.close();
  stopped = true;
  standin = await startStandin(options);
  stopped = false;
  client = new FusionAuthClient(API_KEY, standin.url);
  t.match((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, [{ id: methodId, method: 'sms', mobilePhone: PHONE }]);
  t.equal((await outbox()).length, 1, 'the message sent before the restart');
  // A reset takes back what came after this start-up: a second phone and its message.
  received.length = 0;
  await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: '+15555550777' });
  await client.enableTwoFactor(USER, { method: 'sms', mobilePhone: '+15555550777', code: textedCode(t) });
  t.equal((await client.retrieveUser(USER)).response.user!.twoFactor!.methods!.length, 2);
  t.equal((await outbox()).length, 2);
  standin.reset();
  t.match((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, [{ id: methodId }], 'the phone enabled since start-up is gone');
  t.equal((await client.retrieveUser(USER)).response.user!.twoFactor!.methods!.length, 1);
  t.equal((await outbox()).length, 1, 'the outbox as it was at start-up');
});

t.test('no messenger credential and no code reaches the log, even at debug level', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'debug', folderPrefix: 'standin-two-factor-sms-log-' });
  const cliClient = new FusionAuthClient(API_KEY, cli.url);
  received.length = 0;
  t.equal((await cliClient.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE })).statusCode, 200);
  const code = textedCode(t);
  gatewayMode = 'fail';
  await settle(cliClient.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE }));
  gatewayMode = 'ok';
  const log = cli.stdout() + cli.stderr();
  t.match(log, /two-factor\/send/, 'the requests were logged');
  const basic = Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64');
  for (const secret of [BASIC_PASSWORD, HEADER_SECRET, basic, code]) t.notOk(log.includes(secret), 'a secret is not in the log');
});
