import { FusionAuthClient, MultiFactorAction, type TwoFactorStatusResponse } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, settle } from '../helpers/fixtures.js';
import { startWithAuthenticator } from '../helpers/authenticator-standin.js';

// The Two Factor Status API (docs/two-factor.md, "Whether a login will ask") through FusionAuth's TypeScript client:
// 242 when the next login would ask for a second factor, 200 when not, and the trust named.
const API_KEY = 'two-factor-status-api-key-0123456789';
const APP = 'b5000000-0000-4000-8000-000000000001';
const THIS_APP = 'b5000000-0000-4000-8000-000000000002';
const REQUIRED_APP = 'b5000000-0000-4000-8000-000000000003';
const DISABLED_APP = 'b5000000-0000-4000-8000-000000000004';
const USER = 'b5000000-0000-4000-8000-0000000000e1';
const PLAIN = 'b5000000-0000-4000-8000-0000000000e2';
const EMAIL = 'dinesh@example.com';
const TRUST_SECONDS = 3600;
const { standin, client, code } = await startWithAuthenticator(t, {
  apiKey: API_KEY,
  userId: USER,
  requests: [
    {
      url: `/api/application/${APP}`,
      body: { application: { name: 'Pied Piper', externalIdentifierConfiguration: { twoFactorTrustIdTimeToLiveInSeconds: TRUST_SECONDS } } },
    },
    { url: `/api/application/${THIS_APP}`, body: { application: { name: 'Nucleus', multiFactorConfiguration: { trustPolicy: 'This' } } } },
    { url: `/api/application/${REQUIRED_APP}`, body: { application: { name: 'Bank', multiFactorConfiguration: { loginPolicy: 'Required' } } } },
    { url: `/api/application/${DISABLED_APP}`, body: { application: { name: 'Blog', multiFactorConfiguration: { loginPolicy: 'Disabled' } } } },
    { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: 'password1' }, registration: { applicationId: APP } } },
    { url: `/api/user/registration/${PLAIN}`, body: { user: { username: 'jian', password: 'password1' }, registration: { applicationId: APP } } },
  ],
});
// The clock is frozen: the trust below starts now.
const trustStart = standin.clock.now();
standin.clock.advance(30);
const first = await client.login({ loginId: EMAIL, password: 'password1', applicationId: APP });
const trusted = await client.twoFactorLogin({ twoFactorId: first.response.twoFactorId!, code: code(), applicationId: APP, trustComputer: true });
const trustId = trusted.response.twoFactorTrustId!;
const startInstant = trustStart + 30_000;
// The client sends an omitted path segment as nothing: GET /api/two-factor/status?userId=…
const noTrust = undefined as unknown as string;

t.test('a user with no method needs no challenge, unless the application requires one', async (t) => {
  const plain = await client.retrieveTwoFactorStatus(PLAIN, APP, noTrust);
  t.equal(plain.statusCode, 200);
  t.same(plain.response, { trusts: [] });
  const required = await client.retrieveTwoFactorStatus(PLAIN, REQUIRED_APP, noTrust);
  t.equal(required.statusCode, 242);
});

t.test('a user with a method: 242 without a trust, 200 with a live one, and the trust listed', async (t) => {
  t.equal((await client.retrieveTwoFactorStatus(USER, APP, noTrust)).statusCode, 242);
  t.equal((await client.retrieveTwoFactorStatus(USER, APP, 'not-a-trust')).statusCode, 242, 'an unknown trust does not count');
  const status = await client.retrieveTwoFactorStatus(USER, APP, trustId);
  t.equal(status.statusCode, 200);
  t.same(status.response, {
    trusts: [{ applicationId: APP, expiration: startInstant + TRUST_SECONDS * 1000, startInstant }],
    twoFactorTrustId: trustId,
  } satisfies TwoFactorStatusResponse);
  t.equal((await client.retrieveTwoFactorStatus(USER, DISABLED_APP, noTrust)).statusCode, 200, 'a Disabled login policy asks nothing');
});

t.test("the application's trustPolicy decides, as at login", async (t) => {
  const other = await client.retrieveTwoFactorStatus(USER, THIS_APP, trustId);
  t.equal(other.statusCode, 242, 'trustPolicy This: a trust from another application does not hold');
  t.equal(other.response.trusts?.length, 1, 'the trust is still listed');
});

t.test('POST /api/two-factor/status takes the same in its body, with an action', async (t) => {
  const status = await client.retrieveTwoFactorStatusWithRequest({
    userId: USER,
    applicationId: APP,
    twoFactorTrustId: trustId,
    action: MultiFactorAction.changePassword,
  });
  t.equal(status.statusCode, 200);
  t.equal(status.response.twoFactorTrustId, trustId);
  const stepUp = await client.retrieveTwoFactorStatusWithRequest({ userId: USER, applicationId: APP, action: MultiFactorAction.stepUp });
  t.equal(stepUp.statusCode, 242);
  const bogus = await settle(client.retrieveTwoFactorStatusWithRequest({ userId: USER, action: 'logout' as MultiFactorAction }));
  assertFieldError(t, bogus, 'action', 'invalid');
});

t.test('bad requests are refused in FusionAuth shape', async (t) => {
  assertFieldError(t, await settle(client.retrieveTwoFactorStatusWithRequest({ applicationId: APP })), 'userId', 'blank');
  assertFieldError(t, await settle(client.retrieveTwoFactorStatus('b5000000-0000-4000-8000-0000000000ff', APP, noTrust)), 'userId', 'invalid');
  assertFieldError(
    t,
    await settle(client.retrieveTwoFactorStatus(USER, 'b5000000-0000-4000-8000-0000000000aa', noTrust)),
    'applicationId',
    'invalid',
  );
  assertEmpty(t, await settle(new FusionAuthClient('', standin.url).retrieveTwoFactorStatus(USER, APP, trustId)), 401);
});

t.test('the trust stops counting when it expires', async (t) => {
  standin.clock.advance(TRUST_SECONDS);
  const expired = await client.retrieveTwoFactorStatus(USER, APP, trustId);
  t.equal(expired.statusCode, 242);
  t.same(expired.response.trusts, []);
});
