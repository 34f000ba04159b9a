import { FusionAuthClient } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { authenticatorCode } from '../helpers/totp.js';

// The Two Factor API and the two-step Login API through @fusionauth/typescript-client (docs/two-factor.md).
const API_KEY = 'two-factor-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'b1000000-0000-4000-8000-000000000001';
const OTHER_APP = 'b1000000-0000-4000-8000-000000000002';
const REQUIRED_APP = 'b1000000-0000-4000-8000-000000000003';
const DISABLED_APP = 'b1000000-0000-4000-8000-000000000004';
const PASSWORD_APP = 'b1000000-0000-4000-8000-000000000005';
const PASSWORD_SECRET = 'password-grant-secret-0123456789abcdef';
const USER = 'b2000000-0000-4000-8000-000000000001';
const NEWCOMER = 'b2000000-0000-4000-8000-000000000002';
const LOGIN = { loginId: 'jared@example.com', password: 'password1', applicationId: APP };
// A frozen base clock five seconds into a time step: only the control clock moves it.
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;

async function start() {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    limits: { lockoutFailures: 4 },
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          url: `/api/application/${APP}`,
          body: { application: { name: 'Store', loginConfiguration: { generateRefreshTokens: true }, passwordlessConfiguration: { enabled: true } } },
        },
        { url: `/api/application/${OTHER_APP}`, body: { application: { name: 'Forums', multiFactorConfiguration: { trustPolicy: 'This' } } } },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: LOGIN.loginId, password: LOGIN.password }, registration: { applicationId: APP } },
        },
        { url: `/api/user/registration/${USER}`, body: { registration: { applicationId: OTHER_APP } } },
        { url: `/api/application/${REQUIRED_APP}`, body: { application: { name: 'Bank', multiFactorConfiguration: { loginPolicy: 'Required' } } } },
        { url: `/api/application/${DISABLED_APP}`, body: { application: { name: 'Blog', multiFactorConfiguration: { loginPolicy: 'Disabled' } } } },
        { url: `/api/user/registration/${USER}`, body: { registration: { applicationId: DISABLED_APP } } },
        {
          url: `/api/application/${PASSWORD_APP}`,
          body: { application: { name: 'CLI', oauthConfiguration: { clientSecret: PASSWORD_SECRET, enabledGrants: ['password'] } } },
        },
        { url: `/api/user/registration/${USER}`, body: { registration: { applicationId: PASSWORD_APP } } },
        {
          url: `/api/user/registration/${NEWCOMER}`,
          body: { user: { email: 'erlich@example.com', password: 'password1' }, registration: { applicationId: REQUIRED_APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  return standin;
}

const standin = await start();
const client = new FusionAuthClient(API_KEY, standin.url);
const now = () => standin.clock.now();
let secret = '';
let recoveryCodes: string[] = [];
let methodId = '';

/** A fresh login up to its 242; the test's clock moves one step first, so the next code is unused. */
async function twoFactorId(t: Test, request: Record<string, unknown> = LOGIN): Promise<string> {
  standin.clock.advance(30);
  const answer = await settle(client.login(request));
  t.equal(answer.statusCode, 242, 'the login waits for a second factor');
  return (answer.response as { twoFactorId: string }).twoFactorId;
}

t.test('generateTwoFactorSecret: 20 random bytes, base64 and base32 of the same', async (t) => {
  const answer = await client.generateTwoFactorSecret();
  t.equal(answer.statusCode, 200);
  const { secret: base64, secretBase32Encoded } = answer.response;
  t.equal(Buffer.from(base64!, 'base64').length, 20);
  t.match(secretBase32Encoded, /^[A-Z2-7]{32}$/);
  secret = secretBase32Encoded!;
  assertEmpty(t, await settle(new FusionAuthClient('wrong-key-0123456789abcdef', standin.url).generateTwoFactorSecret()), 401);
});

t.test('enableTwoFactor: field errors, 421 for a wrong code, then 200 with ten recovery codes', async (t) => {
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'authenticator', secretBase32Encoded: secret })), 'code', 'blank');
  // The email and SMS methods are off by default on a tenant (FusionAuth's default); voice is not modelled (docs/two-factor.md).
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'email', code: '123456', email: LOGIN.loginId })), 'method', 'disabled');
  assertFieldError(
    t,
    await settle(client.enableTwoFactor(USER, { method: 'sms', code: '123456', mobilePhone: '+15555550100' })),
    'method',
    'disabled',
  );
  assertGeneralError(
    t,
    await settle(client.enableTwoFactor(USER, { method: 'voice', code: '123456', mobilePhone: '+15555550100' })),
    '[NotModelled]',
  );
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'push', code: '123456' })), 'method', 'invalid');
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { method: 'authenticator', code: '123456' })), 'secret', 'blank');
  const wrong = authenticatorCode(secret, now() - 120_000);
  assertEmpty(t, await settle(client.enableTwoFactor(USER, { method: 'authenticator', code: wrong, secretBase32Encoded: secret })), 421);
  assertEmpty(
    t,
    await settle(client.enableTwoFactor('b2000000-0000-4000-8000-00000000dead', { method: 'authenticator', code: '1', secretBase32Encoded: secret })),
    404,
  );

  const enabled = await client.enableTwoFactor(USER, {
    method: 'authenticator',
    code: authenticatorCode(secret, now()),
    secretBase32Encoded: secret,
  });
  t.equal(enabled.statusCode, 200);
  recoveryCodes = enabled.response.recoveryCodes!;
  t.equal(recoveryCodes.length, 10);
  t.equal(new Set(recoveryCodes).size, 10);

  const user = (await client.retrieveUser(USER)).response.user!;
  const methods = user.twoFactor!.methods!;
  t.equal(methods.length, 1);
  t.match(methods[0], { method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } });
  t.match(methods[0]!.id, /^[A-Z0-9]{4}$/);
  t.notOk('secret' in methods[0]!, 'the secret is never shown');
  methodId = methods[0]!.id!;
});

t.test('login: 242 with twoFactorId and methods; twoFactorLogin 421, 404, then 200 like a one-factor login', async (t) => {
  const id = await twoFactorId(t);
  const first = await settle(client.login(LOGIN));
  t.match(first.response, { methods: [{ id: methodId, method: 'authenticator', authenticator: { algorithm: 'HmacSHA1' } }] });
  const wrongCode = authenticatorCode(secret, now() + 600_000);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: id, code: wrongCode, applicationId: APP })), 421);
  assertEmpty(
    t,
    await settle(client.twoFactorLogin({ twoFactorId: 'not-a-two-factor-id', code: authenticatorCode(secret, now()), applicationId: APP })),
    404,
  );
  const done = await client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP });
  t.equal(done.statusCode, 200);
  t.ok(done.response.token, 'a JWT');
  t.ok(done.response.refreshToken, 'a refresh token, as the application gives on one-factor logins');
  t.equal(done.response.user?.id, USER);
  t.equal(done.response.twoFactorTrustId, undefined, 'no trust unless asked');
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP })), 404);
});

t.test('a code used once is refused again in its window; a stale code is refused', async (t) => {
  const first = await twoFactorId(t);
  const code = authenticatorCode(secret, now());
  t.equal((await client.twoFactorLogin({ twoFactorId: first, code, applicationId: APP })).statusCode, 200);
  const second = (await settle(client.login(LOGIN))).response as { twoFactorId: string };
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: second.twoFactorId, code, applicationId: APP })), 421);
  standin.clock.advance(90);
  const third = await twoFactorId(t);
  // Two steps back is out of the window though never used; one step back is in it.
  assertEmpty(
    t,
    await settle(client.twoFactorLogin({ twoFactorId: third, code: authenticatorCode(secret, now() - 60_000), applicationId: APP })),
    421,
  );
  t.equal(
    (await client.twoFactorLogin({ twoFactorId: third, code: authenticatorCode(secret, now() - 30_000), applicationId: APP })).statusCode,
    200,
    'one step back is inside the window',
  );
});

t.test('the twoFactorId expires after five minutes on Standin clock', async (t) => {
  const id = await twoFactorId(t);
  standin.clock.advance(301);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP })), 404);
});

t.test('trustComputer: a twoFactorTrustId that skips the step, in this application, and not in one whose trustPolicy is This', async (t) => {
  const id = await twoFactorId(t);
  const done = await client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP, trustComputer: true });
  const trustId = done.response.twoFactorTrustId!;
  t.match(trustId, /^[A-Za-z0-9_-]{43}$/);
  const trusted = await client.login({ ...LOGIN, twoFactorTrustId: trustId });
  t.equal(trusted.statusCode, 200, 'no second step');
  t.ok(trusted.response.token);
  t.equal(
    (await settle(client.login({ ...LOGIN, applicationId: OTHER_APP, twoFactorTrustId: trustId }))).statusCode,
    242,
    'trustPolicy This: a trust from another application does not count',
  );
  t.equal((await settle(client.login({ ...LOGIN, twoFactorTrustId: 'made-up' }))).statusCode, 242);
});

t.test('loginPolicy: Disabled skips the step; an unknown policy is refused', async (t) => {
  standin.clock.advance(30);
  t.equal((await client.login({ ...LOGIN, applicationId: DISABLED_APP })).statusCode, 200);
  const refused = await settle(
    client.patchApplication(DISABLED_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Sometimes' } } } as never),
  );
  assertFieldError(t, refused, 'application.multiFactorConfiguration.loginPolicy', 'invalid');
  assertFieldError(
    t,
    await settle(client.patchTenant(TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Always' } } } as never)),
    'tenant.multiFactorConfiguration.loginPolicy',
    'invalid',
  );
});

t.test('loginPolicy Required: a user with no method enrols during the login, whose enable answer carries the code that ends it', async (t) => {
  const started = await settle(client.login({ loginId: 'erlich@example.com', password: 'password1', applicationId: REQUIRED_APP }));
  t.equal(started.statusCode, 242);
  const {
    twoFactorId: id,
    methods,
    configurableMethods,
  } = started.response as { twoFactorId: string; methods: unknown[]; configurableMethods: string[] };
  t.same(methods, []);
  t.same(configurableMethods, ['authenticator']);
  const newSecret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
  const request = { method: 'authenticator', code: authenticatorCode(newSecret, now()), secretBase32Encoded: newSecret };
  assertFieldError(t, await settle(client.enableTwoFactor(USER, { ...request, twoFactorId: id })), 'twoFactorId', 'invalid');
  const enabled = await client.enableTwoFactor(NEWCOMER, { ...request, twoFactorId: id });
  t.equal(enabled.response.recoveryCodes?.length, 10);
  const code = (enabled.response as { code?: string }).code!;
  t.ok(code, 'a one-time code for the pending login');
  const done = await client.twoFactorLogin({ twoFactorId: id, code, applicationId: REQUIRED_APP });
  t.equal(done.statusCode, 200);
  t.equal(done.response.user?.id, NEWCOMER);
});

t.test('a recovery code logs in once', async (t) => {
  const first = await twoFactorId(t);
  t.equal((await client.twoFactorLogin({ twoFactorId: first, code: recoveryCodes[0]!, applicationId: APP })).statusCode, 200);
  const second = await twoFactorId(t);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: second, code: recoveryCodes[0]!, applicationId: APP })), 421);
  t.equal(
    (await client.twoFactorLogin({ twoFactorId: second, code: recoveryCodes[1]!.toLowerCase().replace('-', ''), applicationId: APP })).statusCode,
    200,
    'case and dash do not matter',
  );
});

t.test('passwordlessLogin answers 242 for a two-factor user; the token says PASSWORDLESS', async (t) => {
  standin.clock.advance(30);
  const { code } = (await client.startPasswordlessLogin({ applicationId: APP, loginId: LOGIN.loginId })).response;
  const first = await settle(client.passwordlessLogin({ code: code!, applicationId: APP }));
  t.equal(first.statusCode, 242);
  const { twoFactorId: id } = first.response as { twoFactorId: string };
  const done = await client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP });
  const claims = JSON.parse(Buffer.from(done.response.token!.split('.')[1]!, 'base64url').toString());
  t.equal(claims.authenticationType, 'PASSWORDLESS');
});

t.test('the password grant refuses with two_factor_required and a two_factor_id that /api/two-factor/login finishes', async (t) => {
  standin.clock.advance(30);
  const refused = await settle(
    client.exchangeUserCredentialsForAccessToken(LOGIN.loginId, LOGIN.password, PASSWORD_APP, PASSWORD_SECRET, 'openid', null as never),
  );
  t.equal(refused.statusCode, 400);
  const error = refused.exception as unknown as { error: string; error_reason?: string; two_factor_id: string; two_factor_methods: unknown[] };
  // FusionAuth's own error type for this state, with no error_reason (its OAuthError's OAuthErrorType).
  t.match(error, { error: 'two_factor_required', two_factor_methods: [{ id: methodId, method: 'authenticator' }] });
  t.notOk('error_reason' in error, 'no error_reason');
  const done = await client.twoFactorLogin({ twoFactorId: error.two_factor_id, code: authenticatorCode(secret, now()), applicationId: PASSWORD_APP });
  t.equal(done.statusCode, 200);
});

t.test('recovery codes: generate replaces them, retrieve answers', async (t) => {
  const generated = await client.generateTwoFactorRecoveryCodes(USER);
  t.equal(generated.statusCode, 200);
  t.equal(generated.response.recoveryCodes!.length, 10);
  const old = await twoFactorId(t);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: old, code: recoveryCodes[2]!, applicationId: APP })), 421);
  recoveryCodes = generated.response.recoveryCodes!;
  t.equal((await client.twoFactorLogin({ twoFactorId: old, code: recoveryCodes[0]!, applicationId: APP })).statusCode, 200);
  const retrieved = await client.retrieveTwoFactorRecoveryCodes(USER);
  t.equal(retrieved.statusCode, 200);
  t.same(retrieved.response.recoveryCodes, [], 'kept hashed: none to show');
  assertEmpty(t, await settle(client.generateTwoFactorRecoveryCodes('b2000000-0000-4000-8000-00000000dead')), 404);
});

t.test('wrong codes count toward the login lockout', async (t) => {
  const id = await twoFactorId(t);
  for (let i = 0; i < 4; i++) assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: id, code: '000000', applicationId: APP })), 421);
  assertEmpty(t, await settle(client.twoFactorLogin({ twoFactorId: id, code: authenticatorCode(secret, now()), applicationId: APP })), 423);
  assertEmpty(t, await settle(client.login(LOGIN)), 423);
  standin.clock.advance(301);
});

t.test('disableTwoFactor: 421 for a wrong code, 200 with a right one; the login is one step again', async (t) => {
  standin.clock.advance(30);
  assertFieldError(t, await settle(client.disableTwoFactor(USER, 'ZZZZ', authenticatorCode(secret, now()))), 'methodId', 'invalid');
  assertEmpty(t, await settle(client.disableTwoFactor(USER, methodId, '000000')), 421);
  t.equal((await client.disableTwoFactor(USER, methodId, authenticatorCode(secret, now()))).statusCode, 200);
  t.same((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, []);
  t.equal((await client.login(LOGIN)).statusCode, 200);
  assertGeneralError(t, await settle(client.generateTwoFactorRecoveryCodes(USER)), '[TwoFactorNotEnabled]');
});

t.test('a recovery code disables every method; the JWT forms act on the token user', async (t) => {
  const token = (await client.login(LOGIN)).response.token!;
  const jwtSecret = (await client.generateTwoFactorSecretUsingJWT(token)).response.secretBase32Encoded!;
  const enable = await fetch(`${standin.url}/api/user/two-factor`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'authenticator', code: authenticatorCode(jwtSecret, now()), secretBase32Encoded: jwtSecret }),
  });
  t.equal(enable.status, 200);
  const codes = ((await enable.json()) as { recoveryCodes: string[] }).recoveryCodes;
  const methods = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;
  t.equal(methods.length, 1);
  // disableTwoFactorWithRequest: the same, as a JSON body.
  t.equal((await client.disableTwoFactorWithRequest(USER, { methodId: methods[0]!.id!, code: codes[0]! })).statusCode, 200);
  t.same((await client.retrieveUser(USER)).response.user!.twoFactor!.methods, []);
});

t.test("refreshTokenRevocationPolicy.onMultiFactorEnable: turning on a first method ends the user's refresh tokens", async (t) => {
  const refreshTokens = async () => (await client.retrieveRefreshTokens(USER)).response.refreshTokens ?? [];
  const enable = async () => {
    standin.clock.advance(30);
    const generated = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
    await client.enableTwoFactor(USER, { method: 'authenticator', code: authenticatorCode(generated, now()), secretBase32Encoded: generated });
    return generated;
  };
  const disable = async (code: string) => {
    const [method] = (await client.retrieveUser(USER)).response.user!.twoFactor!.methods!;
    await client.disableTwoFactor(USER, method!.id!, code);
  };

  const kept = (await client.login(LOGIN)).response.refreshToken!;
  const keptSecret = await enable();
  t.equal((await client.exchangeRefreshTokenForJWT({ refreshToken: kept })).statusCode, 200, 'off (the default): the token lives');
  standin.clock.advance(30);
  await disable(authenticatorCode(keptSecret, now()));

  await client.patchTenant(TENANT, { tenant: { jwtConfiguration: { refreshTokenRevocationPolicy: { onMultiFactorEnable: true } } } });
  t.teardown(() => client.patchTenant(TENANT, { tenant: { jwtConfiguration: { refreshTokenRevocationPolicy: { onMultiFactorEnable: false } } } }));
  const revoked = (await client.login(LOGIN)).response.refreshToken!;
  t.ok((await refreshTokens()).length > 0);
  const onSecret = await enable();
  t.same(await refreshTokens(), [], 'on: every refresh token of the user is revoked');
  t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: revoked }))).statusCode, 400);
  standin.clock.advance(30);
  await disable(authenticatorCode(onSecret, now()));
});
