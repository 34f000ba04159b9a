import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessengerType, type MessengerRequest } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, CLIENT_TENANT_ID, RICHARD_ID, RICHARD_LOGIN, settle, WEB_APP } from '../helpers/fixtures.js';
import { authenticatorCode } from '../helpers/totp.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// Two-factor events (docs/webhooks.md, docs/two-factor.md) through @fusionauth/typescript-client.
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const TYPES = ['user.two-factor.method.add', 'user.two-factor.method.remove', 'user.login.success', 'user.login.failed'];

t.test('enabling a method, a two-step login and disabling the method send their events', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, TYPES);
  const enabled = await client.enableTwoFactor(RICHARD_ID, {
    method: 'authenticator',
    code: authenticatorCode(SECRET, Date.now()),
    secretBase32Encoded: SECRET,
  });
  const [recovery, another] = enabled.response.recoveryCodes!;
  const added = await receiver.waitFor('user.two-factor.method.add');
  const methodId = added.event.method.id as string;
  t.match(added.event, {
    tenantId: CLIENT_TENANT_ID,
    linkedObjectId: RICHARD_ID,
    method: { id: /^[A-Z0-9]{4}$/, method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
    user: { id: RICHARD_ID, twoFactor: { methods: [{ id: methodId }] } },
  });
  t.notOk(added.raw.includes(SECRET), 'the secret is never sent');
  t.notOk('secret' in added.event.method);

  // The password alone is a 242: no login has happened yet.
  const challenged = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
  t.equal(challenged.statusCode, 242);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: challenged.response.twoFactorId!, code: '000000', applicationId: WEB_APP })), 421);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.notOk(
    receiver.received.some((entry) => entry.event.type.startsWith('user.login.')),
    'neither the 242 nor a wrong code sends a login event',
  );
  const done = await client.twoFactorLogin({ twoFactorId: challenged.response.twoFactorId!, code: recovery!, applicationId: WEB_APP });
  t.equal(done.statusCode, 200);
  t.match((await receiver.waitFor('user.login.success')).event, {
    tenantId: CLIENT_TENANT_ID,
    applicationId: WEB_APP,
    authenticationType: 'PASSWORD',
    user: { id: RICHARD_ID },
  });
  t.equal(receiver.received.filter((entry) => entry.event.type === 'user.login.success').length, 1, 'one login, one event');

  await client.disableTwoFactor(RICHARD_ID, methodId, another!);
  t.match((await receiver.waitFor('user.two-factor.method.remove')).event, {
    tenantId: CLIENT_TENANT_ID,
    method: { id: methodId, method: 'authenticator' },
    user: { id: RICHARD_ID, twoFactor: { methods: [] } },
  });
});

t.test('enabling and disabling an email method send their events, with the address', async (t) => {
  const { client, receiver, running } = await startWebhookStandin(t, TYPES);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { multiFactorConfiguration: { email: { enabled: true } } } });
  const address = 'richard.mfa@example.com';
  await client.sendTwoFactorCodeForEnableDisable({ userId: RICHARD_ID, method: 'email', email: address });
  const code = (await running.waitForEmail({ to: address, type: 'twoFactorCode' })).code!;
  await client.enableTwoFactor(RICHARD_ID, { method: 'email', email: address, code });
  const added = await receiver.waitFor('user.two-factor.method.add');
  t.match(added.event, { tenantId: CLIENT_TENANT_ID, method: { id: /^[A-Z0-9]{4}$/, method: 'email', email: address }, user: { id: RICHARD_ID } });
  t.notOk(added.raw.includes(code), 'the code is never sent');
  const methodId = added.event.method.id as string;

  running.clearEmails();
  await client.sendTwoFactorCodeForEnableDisable({ userId: RICHARD_ID, methodId });
  const disableCode = (await running.waitForEmail({ to: address, type: 'twoFactorCode' })).code!;
  await client.disableTwoFactor(RICHARD_ID, methodId, disableCode);
  t.match((await receiver.waitFor('user.two-factor.method.remove')).event, { method: { id: methodId, method: 'email', email: address } });
});

t.test('enabling and disabling an SMS method send their events, with the phone and never the code', async (t) => {
  const texted: string[] = [];
  const gateway = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      texted.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: string }).code);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    gateway.close();
  });
  const { client, receiver } = await startWebhookStandin(t, TYPES);
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`;
  const messengerId = 'f6000000-0000-4000-8000-000000000001';
  await client.createMessenger(messengerId, {
    messenger: { name: 'Gateway', type: MessengerType.Generic, url, connectTimeout: 1000, readTimeout: 2000 },
  } as MessengerRequest);
  await client.patchTenant(CLIENT_TENANT_ID, {
    tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId } } },
  });
  const phone = '+15555550161';
  await client.sendTwoFactorCodeForEnableDisable({ userId: RICHARD_ID, method: 'sms', mobilePhone: phone });
  const code = texted.at(-1)!;
  await client.enableTwoFactor(RICHARD_ID, { method: 'sms', mobilePhone: phone, code });
  const added = await receiver.waitFor('user.two-factor.method.add');
  t.match(added.event, { tenantId: CLIENT_TENANT_ID, method: { id: /^[A-Z0-9]{4}$/, method: 'sms', mobilePhone: phone }, user: { id: RICHARD_ID } });
  t.notOk(added.raw.includes(code), 'the code is never sent');
  const methodId = added.event.method.id as string;

  await client.sendTwoFactorCodeForEnableDisable({ userId: RICHARD_ID, methodId });
  await client.disableTwoFactor(RICHARD_ID, methodId, texted.at(-1)!);
  t.match((await receiver.waitFor('user.two-factor.method.remove')).event, { method: { id: methodId, method: 'sms', mobilePhone: phone } });
});
