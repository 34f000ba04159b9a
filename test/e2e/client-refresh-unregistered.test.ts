import { decodeJwt } from 'jose';
import t from 'tap';
import { RICHARD_ID, RICHARD_LOGIN, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// FusionAuth Application API, oauthConfiguration.requireRegistration: it applies to the authorization code and
// implicit grants only, not to the refresh token grant, so a refresh token outlives its user's registration, and
// the refreshed access token carries no applicationId or roles (docs/login-flow.md).
t.test('under requireRegistration, a refresh token still refreshes after the registration is deleted', async (t) => {
  const { client } = await startClientStandin(t);
  t.equal((await client.patchApplication(WEB_APP, { application: { oauthConfiguration: { requireRegistration: true } } })).statusCode, 200);
  const login = (await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })).response;
  t.match(decodeJwt(login.token!), { applicationId: WEB_APP, roles: ['user'] });

  t.equal((await client.deleteRegistration(RICHARD_ID, WEB_APP)).statusCode, 200);
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: login.refreshToken! });
  t.equal(refreshed.statusCode, 200);
  const claims = decodeJwt(refreshed.response.token!);
  t.equal(claims.sub, RICHARD_ID);
  t.notOk('applicationId' in claims, 'no applicationId without a registration');
  t.notOk('roles' in claims, 'no roles without a registration');
});
