import t from 'tap';
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { accessToken, buildMintedTokenApp, FORUMS_APP, idToken, RICHARD_ID, STORE_APP, T0 } from '../helpers/fixtures.js';

/** A refusal as RFC 6750 §3 and FusionAuth give it: 401, a Bearer challenge, OAuth JSON, no-store. */
function assertRefused(t: Test, response: LightMyRequestResponse, reason: string, status = 401): void {
  t.equal(response.statusCode, status, `status ${status}`);
  t.match(response.headers['www-authenticate'], /^Bearer error="invalid_token", error_description="[^"]+"$/, 'Bearer challenge');
  t.match(response.json(), { error: 'invalid_token', error_reason: reason, error_description: String });
  t.equal(response.headers['cache-control'], 'no-store');
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

t.test('Strict: userinfo gives sub and only the claims the scopes ask for', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid email');
  const response = await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) });
  t.equal(response.statusCode, 200);
  t.equal(response.headers['cache-control'], 'no-store');
  t.same(response.json(), { sub: RICHARD_ID, email: 'richard@example.com', email_verified: true }, 'no profile claims, no roles');

  const profile = await accessToken(app, STORE_APP, RICHARD_ID, 'openid profile');
  const withProfile = (await app.inject({ url: '/oauth2/userinfo', headers: bearer(profile.token) })).json();
  t.match(withProfile, {
    sub: RICHARD_ID,
    given_name: 'Richard',
    family_name: 'Hendricks',
    name: 'Richard Hendricks',
    preferred_username: 'richard',
  });
  t.notOk('email' in withProfile, 'no email without the email scope');
});

t.test('Compatibility: userinfo gives every claim, with roles and applicationId', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, FORUMS_APP, RICHARD_ID, 'openid');
  const response = await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) });
  t.equal(response.statusCode, 200);
  t.match(response.json(), { sub: RICHARD_ID, email: 'richard@example.com', given_name: 'Richard', applicationId: FORUMS_APP, roles: ['admin'] });
});

t.test('POST takes the token from the Authorization header or the form body', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  const byHeader = await app.inject({ method: 'POST', url: '/oauth2/userinfo', headers: bearer(token) });
  t.equal(byHeader.statusCode, 200);
  t.equal(byHeader.json().sub, RICHARD_ID);
  const byForm = await app.inject({
    method: 'POST',
    url: '/oauth2/userinfo',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ access_token: token }).toString(),
  });
  t.equal(byForm.statusCode, 200);
  t.equal(byForm.json().sub, RICHARD_ID);
  const both = await app.inject({
    method: 'POST',
    url: '/oauth2/userinfo',
    headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ access_token: token }).toString(),
  });
  t.equal(both.statusCode, 400, 'two methods at once are refused (RFC 6750 §2)');
});

t.test('a request without a token is refused with 401', async (t) => {
  const app = await buildMintedTokenApp(t);
  assertRefused(t, await app.inject('/oauth2/userinfo'), 'access_token_required');
  assertRefused(t, await app.inject({ method: 'POST', url: '/oauth2/userinfo' }), 'access_token_required');
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 'access_token_required');
});

t.test('a token in the query string is ignored (OAuth 2.1 §5.1)', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  assertRefused(t, await app.inject(`/oauth2/userinfo?access_token=${token}`), 'access_token_required');
  assertRefused(t, await app.inject({ method: 'POST', url: `/oauth2/userinfo?access_token=${token}` }), 'access_token_required');
});

t.test('garbage and forged tokens are refused with 401', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer('not-a-jwt') }), 'access_token_malformed');
  const [header, payload] = token.split('.');
  const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'someone-else' })).toString(
    'base64url',
  );
  assertRefused(
    t,
    await app.inject({ url: '/oauth2/userinfo', headers: bearer(`${header}.${edited}.${token.split('.')[2]}`) }),
    'access_token_failed_processing',
    401,
  );
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(none) }), 'access_token_malformed');
  const noneWithSignature = `${Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header!, 'base64url').toString()).kid })).toString('base64url')}.${payload}.x`;
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(noneWithSignature) }), 'access_token_failed_processing');
});

t.test('an expired token is refused once the clock passes exp', async (t) => {
  let now = T0;
  const app = await buildMintedTokenApp(t, { now: () => now });
  const { token, expiresIn } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  now = T0 + (expiresIn - 1) * 1000;
  t.equal((await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) })).statusCode, 200, 'alive a second before exp');
  now = T0 + expiresIn * 1000;
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) }), 'access_token_expired');
});

t.test('an id token is not a bearer token (RFC 8725 §3.12)', async (t) => {
  const app = await buildMintedTokenApp(t);
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(await idToken(app, STORE_APP, RICHARD_ID)) }), 'access_token_invalid');
});

t.test('a revoked jti is refused at once (docs/hardening-tokens.md)', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token, jti, expiresAt } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  t.equal((await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) })).statusCode, 200, 'live before the revocation');
  app.standin.stores.revokedAccessTokens.revoke(jti, expiresAt);
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) }), 'access_token_invalid');
});

t.test('the token of a deleted or deactivated user is refused', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  t.equal((await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) })).statusCode, 200, 'live while the user is');
  const user = app.standin.stores.users.get(RICHARD_ID)!;
  app.standin.stores.users.update({ ...user, active: false });
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) }), 'access_token_invalid');
  app.standin.stores.users.delete(RICHARD_ID);
  assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) }), 'access_token_invalid');
});

t.test(
  'Strict: a token without the openid scope is refused with 400 (FusionAuth GitHub issue https://github.com/FusionAuth/fusionauth-issues/issues/3451)',
  async (t) => {
    const app = await buildMintedTokenApp(t);
    const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'offline_access');
    assertRefused(t, await app.inject({ url: '/oauth2/userinfo', headers: bearer(token) }), 'access_token_invalid', 400);
  },
);
