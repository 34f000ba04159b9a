import * as oidc from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// A resource server introspects the tokens of the client_credentials grant with openid-client: FusionAuth's
// introspection endpoint takes them since 1.46 (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
// "Introspect"). Userinfo still refuses them: they speak for no user.
const API_KEY = 'cc-introspect-api-key-0123456789abcdef';
const SERVICE = 'b8000000-0000-4000-8000-0000000000a1';
const OTHER = 'b8000000-0000-4000-8000-0000000000a2';
const SECRET = 'cc-introspect-secret-0123456789abcdefgh';

const service = (id: string, name: string) => ({
  url: `/api/application/${id}`,
  body: { application: { name, oauthConfiguration: { clientSecret: SECRET, enabledGrants: ['client_credentials'] } } },
});
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: { apiKeys: [{ key: API_KEY }], requests: [service(SERVICE, 'Service'), service(OTHER, 'Other service')] },
});
t.teardown(() => standin.close());
const configure = (clientId: string) => oidc.discovery(new URL(standin.url), clientId, SECRET, undefined, { execute: [oidc.allowInsecureRequests] });

t.test('a live client_credentials token is active, with its claims; expired it is not', async (t) => {
  const config = await configure(SERVICE);
  const { access_token: token } = await oidc.clientCredentialsGrant(config, { scope: 'read' });
  const introspected = await oidc.tokenIntrospection(config, token);
  t.match(introspected, { active: true, sub: SERVICE, aud: SERVICE, scope: 'read', gty: ['client_credentials'] });

  const refused = await oidc.tokenIntrospection(await configure(OTHER), token).catch((error: unknown) => error);
  t.match(refused, { status: 401 }, "another client may not read it (FusionAuth's 401)");
  await t.rejects(oidc.fetchUserInfo(config, token, SERVICE), 'userinfo refuses it: it speaks for no user');

  standin.clock.advance(3601);
  t.teardown(() => {
    standin.clock.reset();
  });
  t.same(await oidc.tokenIntrospection(config, token), { active: false }, 'expired');
});
