import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authorizationCode, CLIENT_TENANT_ID, failureOf, GILFOYLE_ID, RICHARD_ID, RICHARD_LOGIN, WEB_APP } from '../helpers/fixtures.js';
import type { ReceivedEvent } from '../helpers/webhook-receiver.js';
import { HOOK_PASSWORD, HOOK_USER, startWebhookStandin } from '../helpers/webhook-standin.js';

// Webhooks (docs/webhooks.md): events as FusionAuth sends them, received on loopback, through FusionAuth's client.

/** What every delivery carries: JSON, the configured header and credentials, and a signature over the exact body. */
async function assertDelivery(t: Test, url: string, received: ReceivedEvent, type: string): Promise<void> {
  t.equal(received.event.type, type);
  t.match(received.event, { id: String, createInstant: Number, tenantId: CLIENT_TENANT_ID });
  t.match(received.headers['content-type'], /^application\/json/);
  t.equal(received.headers['x-api-key'], 'receiver-secret', 'the configured header');
  t.equal(received.headers.authorization, `Basic ${Buffer.from(`${HOOK_USER}:${HOOK_PASSWORD}`).toString('base64')}`, 'HTTP Basic credentials');
  const signature = received.headers['x-fusionauth-signature-jwt'] as string;
  const { payload, protectedHeader } = await jwtVerify(signature, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)));
  t.equal(protectedHeader.typ, 'JWT');
  t.same(
    payload,
    { request_body_sha256: createHash('sha256').update(received.raw).digest('base64') },
    'the signature covers the body, and only that',
  );
}

t.test('an API user create is sent as user.create, then user.create.complete', async (t) => {
  const { url, client, receiver } = await startWebhookStandin(t, ['user.create', 'user.create.complete']);
  const created = await client.createUser(null as never, { user: { email: 'dinesh@example.com', password: 'password1', firstName: 'Dinesh' } });
  const userId = created.response.user!.id!;
  const event = await receiver.waitFor('user.create');
  await assertDelivery(t, url, event, 'user.create');
  t.match(event.event.user, { id: userId, email: 'dinesh@example.com', firstName: 'Dinesh', tenantId: CLIENT_TENANT_ID, active: true });
  t.notOk('password' in event.event.user, 'no password in the payload');
  t.equal(event.event.linkedObjectId, userId);
  const complete = await receiver.waitFor('user.create.complete');
  t.equal(complete.event.user.id, userId);
  t.not(complete.event.id, event.event.id, 'each event has its own id');
});

t.test('a hosted-page login sends user.login.success; a wrong password user.login.failed', async (t) => {
  const { url, client, receiver } = await startWebhookStandin(t, ['user.login.success', 'user.login.failed']);
  await authorizationCode(url, WEB_APP);
  const success = await receiver.waitFor('user.login.success');
  await assertDelivery(t, url, success, 'user.login.success');
  t.match(success.event, { applicationId: WEB_APP, authenticationType: 'PASSWORD', user: { id: RICHARD_ID }, info: { ipAddress: String } });

  await failureOf(client.login({ loginId: RICHARD_LOGIN.loginId, password: 'wrong-password', applicationId: WEB_APP }));
  const failed = await receiver.waitFor('user.login.failed');
  t.match(failed.event, { applicationId: WEB_APP, user: { id: RICHARD_ID }, reason: { code: 'credentials' } });
  await failureOf(client.login({ loginId: 'nobody@example.com', password: 'wrong-password', applicationId: WEB_APP }));
  await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
  await receiver.waitFor('user.login.success');
  t.equal(receiver.received.filter((entry) => entry.event.type === 'user.login.failed').length, 1, 'no event for a user that does not exist');
});

t.test('a refresh sends jwt.refresh; revoking the refresh token sends jwt.refresh-token.revoke', async (t) => {
  const { url, client, receiver } = await startWebhookStandin(t, ['jwt.refresh', 'jwt.refresh-token.revoke']);
  const login = await client.login({ loginId: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, applicationId: WEB_APP });
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: login.response.refreshToken!, token: login.response.token! });
  const refresh = await receiver.waitFor('jwt.refresh');
  t.match(refresh.event, {
    applicationId: WEB_APP,
    userId: RICHARD_ID,
    token: refreshed.response.token,
    original: login.response.token,
    refreshToken: login.response.refreshToken,
  });

  await client.revokeRefreshToken(login.response.refreshToken!, null as never, null as never);
  const revoke = await receiver.waitFor('jwt.refresh-token.revoke');
  await assertDelivery(t, url, revoke, 'jwt.refresh-token.revoke');
  t.match(revoke.event, {
    applicationId: WEB_APP,
    userId: RICHARD_ID,
    user: { id: RICHARD_ID },
    refreshToken: { id: login.response.refreshTokenId },
  });
  t.type(revoke.event.applicationTimeToLiveInSeconds[WEB_APP], 'number');
});

t.test('deleting a user sends user.delete; deactivating one user.deactivate', async (t) => {
  const { url, client, receiver } = await startWebhookStandin(t, ['user.delete', 'user.deactivate']);
  await client.deactivateUser(RICHARD_ID);
  t.match((await receiver.waitFor('user.deactivate')).event.user, { id: RICHARD_ID, active: false });
  await client.deleteUserWithRequest(GILFOYLE_ID, { hardDelete: true });
  const deleted = await receiver.waitFor('user.delete');
  await assertDelivery(t, url, deleted, 'user.delete');
  t.match(deleted.event.user, { id: GILFOYLE_ID, username: 'gilfoyle' });
});
