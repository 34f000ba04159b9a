import t from 'tap';
import { dropTenantKeys } from '../helpers/drop-signing-keys.js';
import { RICHARD_LOGIN, WEB_APP, failureOf, startClientStandin } from '../helpers/fixtures.js';

// The Login API's one-time-password login when no key can sign: refused before the one-time password is used up
// (docs/built-ins-and-defaults.md, "When no key can sign").

t.test('a oneTimePassword login refuses with 400 [SigningKeyUnavailable], and the password stays usable', async (t) => {
  const standin = await startClientStandin(t);
  const { client } = standin;
  const started = await client.forgotPassword({ loginId: RICHARD_LOGIN.loginId, sendForgotPasswordEmail: false });
  const changed = await client.changePassword(started.response.changePasswordId!, { password: 'password3' });
  const login = { oneTimePassword: changed.response.oneTimePassword!, applicationId: WEB_APP };
  const restore = dropTenantKeys(standin);
  const failure = await failureOf(client.login(login));
  t.equal(failure.statusCode, 400, '400, not 500');
  t.equal(failure.exception?.generalErrors?.[0]?.code, '[SigningKeyUnavailable]');
  restore();
  t.equal((await client.login(login)).statusCode, 200, 'the one-time password still works once a key is back');
});
