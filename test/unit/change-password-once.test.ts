import t from 'tap';
import { buildApp } from '../../src/app.js';
import { ApiError } from '../../src/errors.js';
import { setPassword, startChangePassword } from '../../src/manage/change-password.js';

// A changePasswordId is used up in the same transaction that sets the password (docs/forgot-password-and-passwordless.md):
// two changes that both found it live before either wrote still set one password.
t.test('two setPassword calls racing with one changePasswordId: one writes, the other is a 404 and writes nothing', async (t) => {
  const app = await buildApp({
    db: ':memory:',
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'unit-change-once-api-key-0123456789' }],
      requests: [{ url: '/api/user', body: { user: { email: 'jared@example.com', password: 'password-0' } } }],
    },
  });
  t.teardown(() => app.close());
  const { standin } = app;
  const user = standin.stores.users.byEmail(standin.stores.tenants.list()[0]!.id, 'jared@example.com')!;
  const changePasswordId = startChangePassword(standin, user, undefined, undefined);
  // Both calls are under way (hashing) before either reaches its write.
  const results = await Promise.allSettled(
    ['password-1', 'password-2'].map((password) => setPassword(standin, user, password, { refreshAllowed: false }, { changePasswordId })),
  );
  t.same(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
  const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
  t.ok(refused.reason instanceof ApiError && refused.reason.statusCode === 404, 'the loser is a 404');
  t.equal(standin.stores.changePasswordIds.find(changePasswordId, standin.config.now()), undefined, 'the id is gone');
  t.equal(standin.stores.oneTimePasswords.purgeExpired(Number.MAX_SAFE_INTEGER), 1, 'one one-time password was issued');
});
