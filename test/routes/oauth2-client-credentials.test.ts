import t from 'tap';
import { decodeJwt } from 'jose';
import { assertOAuthError, basic, buildLoginApiApp, LOGIN_APP, LOGIN_SECRET, PLAIN_APP, postToken } from '../helpers/fixtures.js';

t.test('a confidential client gets an access token for itself: sub is the client id, no refresh or id token', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await postToken(app, { grant_type: 'client_credentials', scope: 'openid offline_access read' }, basic(LOGIN_APP, LOGIN_SECRET));
  t.equal(response.statusCode, 200);
  const body = response.json();
  t.same(Object.keys(body), ['access_token', 'expires_in', 'scope', 'token_type']);
  t.equal(body.scope, 'read', 'openid and offline_access are user scopes');
  const claims = decodeJwt(body.access_token);
  t.match(claims, { sub: LOGIN_APP, aud: LOGIN_APP, gty: ['client_credentials'], scope: 'read' });
  t.notOk('applicationId' in claims || 'email' in claims, 'nothing about a user');
});

t.test('no secret, a wrong secret, or a client without the grant is refused', async (t) => {
  const app = await buildLoginApiApp(t);
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'client_credentials', client_id: LOGIN_APP }),
    401,
    'invalid_client',
    'client_authentication_missing',
  );
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'client_credentials', client_id: LOGIN_APP, client_secret: 'wrong' }),
    401,
    'invalid_client',
    'invalid_client_authentication',
  );
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'client_credentials', client_id: PLAIN_APP, client_secret: `${LOGIN_SECRET}-plain` }),
    400,
    'unauthorized_client',
    'grant_type_disabled',
  );
});

t.test('discovery advertises the grant', async (t) => {
  const app = await buildLoginApiApp(t);
  t.ok((await app.inject('/.well-known/openid-configuration')).json().grant_types_supported.includes('client_credentials'));
});
