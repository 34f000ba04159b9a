import t, { type Test } from 'tap';
import { dropApplicationKey, dropTenantKeys } from '../helpers/drop-signing-keys.js';
import { authenticatorCode } from '../helpers/totp.js';
import { CLIENT_TENANT_ID, GILFOYLE_ID, RICHARD_ID, RICHARD_LOGIN, SPA_APP, WEB_APP, failureOf, startClientStandin } from '../helpers/fixtures.js';

// The Login API family through @fusionauth/typescript-client when no key can sign: FusionAuth's error JSON with a 400,
// never a 500, and nothing half-written (docs/built-ins-and-defaults.md, "When no key can sign").

function assertUnavailable(t: Test, failure: { statusCode: number; exception?: any }, label: string): void {
  t.equal(failure.statusCode, 400, `${label}: 400, not 500`);
  t.equal(failure.exception?.generalErrors?.[0]?.code, '[SigningKeyUnavailable]', `${label}: FusionAuth's error JSON says why`);
}

t.test("a tenant created or patched without signing keys takes the default tenant's keys, as FusionAuth's do", async (t) => {
  const { client } = await startClientStandin(t);
  const defaults = (await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant!.jwtConfiguration!;
  const created = (await client.createTenant(null as never, { tenant: { name: 'Second' } })).response.tenant!;
  t.equal(created.jwtConfiguration?.accessTokenKeyId, defaults.accessTokenKeyId);
  t.equal(created.jwtConfiguration?.idTokenKeyId, defaults.idTokenKeyId);
  const cleared = { tenant: { jwtConfiguration: { accessTokenKeyId: null, idTokenKeyId: null } } } as never;
  const patched = (await client.patchTenant(created.id!, cleared)).response.tenant!;
  t.equal(patched.jwtConfiguration?.accessTokenKeyId, defaults.accessTokenKeyId, 'a PATCH to null falls back to the default again');
  const own = (await client.patchTenant(CLIENT_TENANT_ID, cleared)).response.tenant!;
  t.equal(own.jwtConfiguration?.accessTokenKeyId, defaults.accessTokenKeyId, 'the default tenant keeps its own keys');
});

t.test('the Login API answers 400 [SigningKeyUnavailable] and stores no refresh token when no key can sign', async (t) => {
  const standin = await startClientStandin(t);
  const refreshTokens = async () => (await standin.client.retrieveRefreshTokens(RICHARD_ID)).response.refreshTokens?.map((r) => r.id);
  const before = await refreshTokens();
  dropTenantKeys(standin);
  const failure = await failureOf(standin.client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP }));
  assertUnavailable(t, failure, 'login');
  t.same(await refreshTokens(), before, 'no refresh token was left behind');
});

t.test('/api/jwt/issue and /api/jwt/refresh refuse alike, and the refresh token stays as it was', async (t) => {
  const standin = await startClientStandin(t);
  const { client } = standin;
  // One-time-use refresh tokens: a refusal that rotated the token would leave the client with a dead one.
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { jwtConfiguration: { refreshTokenUsagePolicy: 'OneTimeUse' } } } as never);
  const { token, refreshToken } = (await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })).response;
  // The JWT to exchange must still verify: the target application, not the user's tenant, has lost its key.
  await dropApplicationKey(standin, SPA_APP);
  assertUnavailable(t, await failureOf(client.issueJWT(SPA_APP, token!, refreshToken!)), '/api/jwt/issue');
  const restore = dropTenantKeys(standin);
  assertUnavailable(t, await failureOf(client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! })), '/api/jwt/refresh');
  restore();
  const refreshed = await client.exchangeRefreshTokenForJWT({ refreshToken: refreshToken! });
  t.equal(refreshed.statusCode, 200, 'the refresh token still works once a key is back');
});

t.test('the Passwordless API refuses alike, and the code stays usable', async (t) => {
  const standin = await startClientStandin(t);
  const { client } = standin;
  await client.patchApplication(WEB_APP, { application: { passwordlessConfiguration: { enabled: true } } });
  const { code } = (await client.startPasswordlessLogin({ applicationId: WEB_APP, loginId: RICHARD_LOGIN.loginId })).response;
  const restore = dropTenantKeys(standin);
  assertUnavailable(t, await failureOf(client.passwordlessLogin({ code: code! })), 'passwordless login');
  restore();
  t.equal((await client.passwordlessLogin({ code: code! })).statusCode, 200, 'the code still works once a key is back');
});

t.test('the Two Factor login refuses alike, and neither the twoFactorId nor the recovery code is used up', async (t) => {
  const standin = await startClientStandin(t);
  const { client } = standin;
  const { secretBase32Encoded } = (await client.generateTwoFactorSecret()).response;
  const code = authenticatorCode(secretBase32Encoded!, Date.now());
  const enabled = await client.enableTwoFactor(RICHARD_ID, { method: 'authenticator', code, secretBase32Encoded: secretBase32Encoded! });
  const recovery = enabled.response.recoveryCodes![0]!;
  const { twoFactorId } = (await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })).response;
  const finish = { twoFactorId: twoFactorId!, code: recovery, applicationId: WEB_APP };
  const restore = dropTenantKeys(standin);
  assertUnavailable(t, await failureOf(client.twoFactorLogin(finish)), 'two-factor login');
  restore();
  t.equal((await client.twoFactorLogin(finish)).statusCode, 200, 'the same twoFactorId and recovery code work once a key is back');
});

t.test('deleting a key a webhook signs with is refused with 400 [inUse]keyId, as FusionAuth refuses it', async (t) => {
  const { client } = await startClientStandin(t);
  const key = (await client.generateKey(null as never, { key: { algorithm: 'ES256' as never, name: 'Webhook signing' } })).response.key!;
  await client.createWebhook(null as never, {
    webhook: { url: 'http://127.0.0.1:9/x', connectTimeout: 500, readTimeout: 500, signatureConfiguration: { enabled: true, signingKeyId: key.id! } },
  });
  const failure = await failureOf(client.deleteKey(key.id!));
  t.equal(failure.statusCode, 400);
  t.equal(failure.exception?.fieldErrors?.keyId?.[0]?.code, '[inUse]keyId');
});

t.test('the Registration API registers a user to an application whose key is gone, and answers no token', async (t) => {
  const standin = await startClientStandin(t);
  await dropApplicationKey(standin, SPA_APP);
  const answer = await standin.client.register(GILFOYLE_ID, { registration: { applicationId: SPA_APP } });
  t.equal(answer.statusCode, 200);
  t.equal(answer.response.registration?.applicationId, SPA_APP);
  t.notOk(answer.response.token, 'no token: nothing could sign it');
});
