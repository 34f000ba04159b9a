import t, { type Test } from 'tap';
import { dropApplicationKey, dropTenantKeys } from '../helpers/drop-signing-keys.js';
import {
  CLIENT_TENANT_ID,
  RICHARD_ID,
  RICHARD_LOGIN,
  WEB_APP,
  WEB_SECRET,
  CALLBACK,
  authorizationCode,
  basic,
  startClientStandin,
  type ClientStandin,
} from '../helpers/fixtures.js';

// The token endpoint when no key can sign: OAuth error JSON with a 400, never a 500, and nothing used up or
// left behind (docs/built-ins-and-defaults.md, "When no key can sign").

async function token(standin: ClientStandin, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${standin.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(WEB_APP, WEB_SECRET) },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

const password = (scope: string) => ({ grant_type: 'password', username: RICHARD_LOGIN.loginId, password: RICHARD_LOGIN.password, scope });

function assertRefused(t: Test, answer: { status: number; body: any }, label: string): void {
  t.equal(answer.status, 400, `${label}: 400, not 500`);
  t.equal(answer.body.error, 'unauthorized_client', `${label}: OAuth error JSON`);
  t.match(answer.body.error_description, /signing key/, `${label}: the description says why`);
}

t.test('the password grant refuses with 400 unauthorized_client and stores no refresh token', async (t) => {
  const standin = await startClientStandin(t);
  const refreshTokens = async () => (await standin.client.retrieveRefreshTokens(RICHARD_ID)).response.refreshTokens?.map((r) => r.id);
  const before = await refreshTokens();
  const restore = dropTenantKeys(standin);
  assertRefused(t, await token(standin, password('openid offline_access')), 'password grant');
  t.same(await refreshTokens(), before, 'no refresh token was left behind');
  restore();
  // An application whose id token key is gone still signs what needs no id token.
  await dropApplicationKey(standin, WEB_APP, 'id');
  assertRefused(t, await token(standin, password('openid offline_access')), 'with openid');
  t.equal((await token(standin, password('offline_access'))).status, 200, 'without openid, no id token is signed');
});

t.test('the authorization code grant refuses without using up the code', async (t) => {
  const standin = await startClientStandin(t);
  const { code } = await authorizationCode(standin.url, WEB_APP);
  const exchange = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK };
  const restore = dropTenantKeys(standin);
  assertRefused(t, await token(standin, exchange), 'code exchange');
  restore();
  const answer = await token(standin, exchange);
  t.equal(answer.status, 200, 'the code still works once a key is back');
  t.ok(answer.body.id_token && answer.body.refresh_token);
});

t.test('the refresh_token grant refuses without rotating a one-time-use refresh token away', async (t) => {
  const standin = await startClientStandin(t);
  await standin.client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: { refreshTokenUsagePolicy: 'OneTimeUse' } } } as never);
  const { refresh_token: refreshToken } = (await token(standin, password('openid offline_access'))).body;
  const restore = dropTenantKeys(standin);
  assertRefused(t, await token(standin, { grant_type: 'refresh_token', refresh_token: refreshToken }), 'refresh');
  restore();
  const answer = await token(standin, { grant_type: 'refresh_token', refresh_token: refreshToken });
  t.equal(answer.status, 200, 'the refresh token still works once a key is back');
});

t.test('the client_credentials grant refuses with 400 unauthorized_client', async (t) => {
  const standin = await startClientStandin(t);
  await dropApplicationKey(standin, WEB_APP);
  assertRefused(t, await token(standin, { grant_type: 'client_credentials' }), 'client credentials');
});
