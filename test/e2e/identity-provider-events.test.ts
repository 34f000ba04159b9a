import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import t from 'tap';
import { WEB_APP } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { loginUpstream, startUpstream } from '../helpers/upstream-oidc.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// user.identity-provider.link and .unlink (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-identity-provider-link):
// sent when a login through an OpenID Connect provider (or a JWT reconciled through an External JWT one) links a user,
// and when the Link API links or unlinks one.
const PROVIDER = 'ca000000-0000-4000-8000-00000000000a';

t.test('linking and unlinking send their events', async (t) => {
  const standin = await startWebhookStandin(t, ['user.identity-provider.link', 'user.identity-provider.unlink']);
  const upstream = await startUpstream(`${standin.url}/oauth2/callback`, [{ sub: 'dinesh-sub', email: 'dinesh@example.com', email_verified: true }]);
  t.teardown(() => upstream.close());
  await standin.client.createIdentityProvider(PROVIDER, {
    identityProvider: {
      type: 'OpenIDConnect',
      name: 'Upstream',
      buttonText: 'Login with Upstream',
      enabled: true,
      oauth2: { client_id: upstream.clientId, client_secret: upstream.clientSecret, issuer: upstream.issuer, scope: 'openid email' },
      applicationConfiguration: { [WEB_APP]: { enabled: true } },
    } as never,
  });

  const browser = createHttpBrowser();
  const query = new URLSearchParams({
    client_id: WEB_APP,
    redirect_uri: 'http://localhost:3000/callback',
    response_type: 'code',
    scope: 'openid',
    state: 's',
  });
  const page = await browser.get(`${standin.url}/oauth2/authorize?${query}`);
  const pressed = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(await page.text()), identityProviderId: PROVIDER });
  const answer = await browser.get(await loginUpstream(browser, pressed.headers.get('location')!, 'dinesh-sub'));
  t.equal(answer.status, 302);

  const linked = (await standin.receiver.waitFor('user.identity-provider.link')).event;
  t.match(linked, {
    type: 'user.identity-provider.link',
    identityProviderLink: { identityProviderId: PROVIDER, identityProviderUserId: 'dinesh-sub', displayName: 'dinesh@example.com' },
    user: { email: 'dinesh@example.com' },
  });
  const userId = linked.user.id as string;
  t.equal(linked.identityProviderLink.userId, userId);

  t.equal((await standin.client.deleteUserLink(PROVIDER, 'dinesh-sub', userId)).statusCode, 200);
  const unlinked = (await standin.receiver.waitFor('user.identity-provider.unlink')).event;
  t.match(unlinked, { identityProviderLink: { identityProviderUserId: 'dinesh-sub', userId }, user: { id: userId } });
});

t.test('a JWT reconciled through an External JWT provider sends the link, create, registration and login events', async (t) => {
  const events = ['user.identity-provider.link', 'user.create', 'user.registration.create', 'user.login.success'];
  const standin = await startWebhookStandin(t, events);
  const pair = await generateKeyPair('ES256');
  const keyId = 'ca000000-0000-4000-8000-0000000000c1';
  await standin.client.importKey(keyId, { key: { name: 'Partner', kid: 'partner-1', publicKey: await exportSPKI(pair.publicKey) } });
  await standin.client.createIdentityProvider(PROVIDER, {
    identityProvider: {
      type: 'ExternalJWT',
      name: 'Partner',
      enabled: true,
      headerKeyParameter: 'kid',
      verificationKeyIds: [keyId],
      applicationConfiguration: { [WEB_APP]: { enabled: true } },
    } as never,
  });
  const jwt = await new SignJWT({ sub: 'partner-sub', email: 'jared@example.com' })
    .setProtectedHeader({ alg: 'ES256', kid: 'partner-1' })
    .setExpirationTime('1h')
    .sign(pair.privateKey);
  const answer = await standin.client.reconcileJWT({ applicationId: WEB_APP, identityProviderId: PROVIDER, encodedJWT: jwt });
  t.equal(answer.statusCode, 200);
  const userId = answer.response.user!.id;
  t.match((await standin.receiver.waitFor('user.create')).event, { user: { id: userId, email: 'jared@example.com' } });
  t.match((await standin.receiver.waitFor('user.identity-provider.link')).event, {
    identityProviderLink: { identityProviderId: PROVIDER, identityProviderUserId: 'partner-sub', userId },
  });
  t.match((await standin.receiver.waitFor('user.registration.create')).event, { registration: { applicationId: WEB_APP } });
  t.match((await standin.receiver.waitFor('user.login.success')).event, { authenticationType: 'FEDERATED_JWT', user: { id: userId } });
});
