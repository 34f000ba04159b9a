import t from 'tap';
import { assertFieldError, CLIENT_TENANT_ID, RICHARD_ID, RICHARD_LOGIN, settle, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// A tenant's passwordValidationRules (docs/self-service-registration.md, "Password rules"), through
// @fusionauth/typescript-client: every API that sets a password refuses one that breaks them, with FusionAuth's codes.
const { client } = await startClientStandin(t);
// FusionAuth's client takes no id as undefined: the server picks one.
const NO_ID = undefined as unknown as string;

t.test('FusionAuth default rules: 8 to 256 characters', async (t) => {
  const rules = await client.retrieveTenant(CLIENT_TENANT_ID);
  t.match(rules.response.tenant?.passwordValidationRules, {
    minLength: 8,
    maxLength: 256,
    requireMixedCase: false,
    requireNonAlpha: false,
    requireNumber: false,
  });
  assertFieldError(
    t,
    await settle(client.createUser(NO_ID, { user: { email: 'short@example.com', password: 'seven77' } })),
    'user.password',
    'tooShort',
  );
  assertFieldError(
    t,
    await settle(client.createUser(NO_ID, { user: { email: 'long@example.com', password: 'x'.repeat(257) } })),
    'user.password',
    'tooLong',
  );
  t.equal(
    (await settle(client.createUser(NO_ID, { user: { email: 'eight@example.com', password: 'eight888' } }))).statusCode,
    200,
    'eight characters pass',
  );
});

t.test('a tenant with stricter rules', async (t) => {
  const patched = await settle(
    client.patchTenant(CLIENT_TENANT_ID, {
      tenant: { passwordValidationRules: { minLength: 10, requireMixedCase: true, requireNonAlpha: true, requireNumber: true } },
    }),
  );
  t.equal(patched.statusCode, 200, 'the rules are saved');
  t.match((await client.retrieveTenant(CLIENT_TENANT_ID)).response.tenant?.passwordValidationRules, {
    minLength: 10,
    maxLength: 256,
    requireMixedCase: true,
    requireNumber: true,
  });

  t.test('createUser: every broken rule is reported', async (t) => {
    const answer = await settle(client.createUser(NO_ID, { user: { email: 'weak@example.com', password: 'abc' } }));
    const codes = answer.exception?.fieldErrors?.['user.password']?.map((error) => error.code);
    t.same(codes, ['[tooShort]user.password', '[singleCase]user.password', '[onlyAlpha]user.password', '[requireNumber]user.password']);
    t.ok(
      answer.exception?.fieldErrors?.['user.password']?.every((error) => typeof error.message === 'string' && error.message !== ''),
      'each has a message',
    );
    t.equal((await settle(client.retrieveUserByEmail('weak@example.com'))).statusCode, 404, 'no user was written');
  });
  t.test('one rule at a time', async (t) => {
    assertFieldError(
      t,
      await settle(client.createUser(NO_ID, { user: { email: 'a@example.com', password: 'alllower-case-1' } })),
      'user.password',
      'singleCase',
    );
    assertFieldError(
      t,
      await settle(client.createUser(NO_ID, { user: { email: 'a@example.com', password: 'NoPunctuation1' } })),
      'user.password',
      'onlyAlpha',
    );
    assertFieldError(
      t,
      await settle(client.createUser(NO_ID, { user: { email: 'a@example.com', password: 'No-Number-Here' } })),
      'user.password',
      'requireNumber',
    );
    t.equal(
      (await settle(client.createUser(NO_ID, { user: { email: 'a@example.com', password: 'Str0ng-enough' } }))).statusCode,
      200,
      'a password that meets every rule',
    );
  });
  t.test('register (user and registration in one call)', async (t) => {
    const answer = await settle(
      client.register(NO_ID, { user: { email: 'reg@example.com', password: 'weakpassword' }, registration: { applicationId: WEB_APP } }),
    );
    assertFieldError(t, answer, 'user.password', 'singleCase');
    t.equal((await settle(client.retrieveUserByEmail('reg@example.com'))).statusCode, 404, 'neither user nor registration written');
    t.equal(
      (
        await settle(
          client.register(NO_ID, { user: { email: 'reg@example.com', password: 'Str0ng-enough' }, registration: { applicationId: WEB_APP } }),
        )
      ).statusCode,
      200,
    );
  });
  t.test('updateUser and patchUser with a password', async (t) => {
    assertFieldError(
      t,
      await settle(client.updateUser(RICHARD_ID, { user: { email: RICHARD_LOGIN.loginId, password: 'weak' } })),
      'user.password',
      'tooShort',
    );
    assertFieldError(t, await settle(client.patchUser(RICHARD_ID, { user: { password: 'weakweakweak' } })), 'user.password', 'singleCase');
    t.equal(
      (await settle(client.patchUser(RICHARD_ID, { user: { firstName: 'Rich' } }))).statusCode,
      200,
      'an update without a password is not checked',
    );
  });
  t.test('changePasswordByIdentity: the field is `password`', async (t) => {
    const answer = await settle(
      client.changePasswordByIdentity({ loginId: RICHARD_LOGIN.loginId, currentPassword: RICHARD_LOGIN.password, password: 'nope' }),
    );
    assertFieldError(t, answer, 'password', 'tooShort');
    assertFieldError(t, answer, 'password', 'requireNumber');
    const ok = await settle(
      client.changePasswordByIdentity({ loginId: RICHARD_LOGIN.loginId, currentPassword: RICHARD_LOGIN.password, password: 'N3w-password!' }),
    );
    t.equal(ok.statusCode, 200, 'a password that meets the rules is set');
  });
  t.test('rules Standin cannot apply are refused', async (t) => {
    assertFieldError(
      t,
      await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordValidationRules: { maxLength: 1000 } } })),
      'tenant.passwordValidationRules.maxLength',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordValidationRules: { minLength: 0 } } })),
      'tenant.passwordValidationRules.minLength',
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordValidationRules: { minLength: 20, maxLength: 12 } } })),
      'tenant.passwordValidationRules.minLength',
      'invalid',
    );
  });
});
