import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// user.identities[] through @fusionauth/typescript-client (docs/email-verification.md): the email identity's
// verified/verifiedReason follow the verification, a username is Unverifiable, and identities sent back on an
// update are not stored.
const API_KEY = 'user-identities-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [{ url: '/api/user', body: { user: { email: 'before@example.com', username: 'before', password: 'password1' } } }],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const identity = async (email: string, type = 'email') =>
  (await client.retrieveUserByEmail(email)).response.user!.identities!.find((one) => one.type === type)!;

t.test('Disabled, Pending, Completed, Skipped; a username is Unverifiable', async (t) => {
  t.match(
    await identity('before@example.com'),
    { type: 'email', value: 'before@example.com', primary: true, verified: false, verifiedReason: 'Disabled' },
    'created while the tenant does not verify',
  );
  t.match(await identity('before@example.com', 'username'), {
    type: 'username',
    value: 'before',
    primary: false,
    verified: false,
    verifiedReason: 'Unverifiable',
  });

  await client.patchTenant(TENANT, { tenant: { emailConfiguration: { verifyEmail: true } } });
  const created = await client.createUser(undefined as unknown as string, { user: { email: 'after@example.com', password: 'password1' } });
  t.match(await identity('after@example.com'), { verified: false, verifiedReason: 'Pending' }, 'a verification is owed');
  await client.verifyEmailAddress({ verificationId: created.response.emailVerificationId! });
  const done = await identity('after@example.com');
  t.match(done, { verified: true, verifiedReason: 'Completed' });
  t.type(done.verifiedInstant, 'number');

  await client.createUser(undefined as unknown as string, { user: { email: 'skipped@example.com', password: 'password1' }, skipVerification: true });
  t.match(await identity('skipped@example.com'), { verified: false, verifiedReason: 'Skipped' });
});

t.test('identities sent back on an update are derived again, not stored', async (t) => {
  const user = (await client.retrieveUserByEmail('before@example.com')).response.user!;
  const updated = await client.updateUser(user.id!, {
    user: { ...user, identities: [{ type: 'email', value: 'forged@example.com', verified: true } as never] },
  });
  t.equal(updated.statusCode, 200);
  t.same(
    updated.response.user!.identities!.map((one) => one.value),
    ['before@example.com', 'before'],
  );
});
