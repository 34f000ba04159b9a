import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertGeneralError, settle } from '../helpers/fixtures.js';

// FusionAuth's Retrieve the Password Validation Rules (https://fusionauth.io/docs/apis/tenants, "Retrieve the Password
// Validation Rules") through the client's retrievePasswordValidationRules[WithTenantId], which send no API key: a
// sign-up form reads the rules of its tenant before the user picks a password.
const API_KEY = 'rules-api-key-0123456789abcdefghijklmn';
const BOUND_KEY = 'rules-bound-key-0123456789abcdefghijk';
const DEFAULT_TENANT = 'a8000000-0000-4000-8000-000000000001';
const STRICT_TENANT = 'a8000000-0000-4000-8000-000000000002';
const NOBODY = 'a8000000-0000-4000-8000-00000000000f';
const STRICT_RULES = { minLength: 12, maxLength: 64, requireMixedCase: true, requireNonAlpha: true, requireNumber: true };

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: DEFAULT_TENANT },
    apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: STRICT_TENANT }],
    requests: [
      {
        method: 'POST',
        url: `/api/tenant/${STRICT_TENANT}`,
        body: { tenant: { name: 'Strict', passwordValidationRules: { ...STRICT_RULES, rememberPreviousPasswords: { enabled: true, count: 3 } } } },
      },
    ],
  },
});
t.teardown(() => standin.close());
// The client sends no API key on these calls, whatever it was made with.
const anonymous = new FusionAuthClient('', standin.url);

t.test('with no tenant named, the default tenant’s rules: FusionAuth’s defaults for a tenant that sets none', async (t) => {
  const answer = await anonymous.retrievePasswordValidationRules();
  t.equal(answer.statusCode, 200);
  t.same(Object.keys(answer.response), ['passwordValidationRules'], 'only the rules, not the rest of the tenant');
  t.match(answer.response.passwordValidationRules, {
    minLength: 8,
    maxLength: 256,
    requireMixedCase: false,
    requireNonAlpha: false,
    requireNumber: false,
    rememberPreviousPasswords: { enabled: false },
  });
});

t.test('a tenant by id: the rules it was given', async (t) => {
  const answer = await anonymous.retrievePasswordValidationRulesWithTenantId(STRICT_TENANT);
  t.equal(answer.statusCode, 200);
  t.match(answer.response.passwordValidationRules, { ...STRICT_RULES, rememberPreviousPasswords: { enabled: true, count: 3 } });
  const upper = await anonymous.retrievePasswordValidationRulesWithTenantId(STRICT_TENANT.toUpperCase());
  t.equal(upper.response.passwordValidationRules?.minLength, 12, 'the id in any case');
});

t.test('the rules follow the tenant as it is updated', async (t) => {
  const admin = new FusionAuthClient(API_KEY, standin.url);
  await admin.patchTenant(DEFAULT_TENANT, { tenant: { passwordValidationRules: { minLength: 10, requireNumber: true } } });
  t.teardown(() => admin.patchTenant(DEFAULT_TENANT, { tenant: { passwordValidationRules: { minLength: 8, requireNumber: false } } }));
  t.match((await anonymous.retrievePasswordValidationRules()).response.passwordValidationRules, { minLength: 10, requireNumber: true });
});

t.test('X-FusionAuth-TenantId or a tenant-bound API key names the tenant', async (t) => {
  const byHeader = new FusionAuthClient('', standin.url, STRICT_TENANT);
  t.equal((await byHeader.retrievePasswordValidationRules()).response.passwordValidationRules?.minLength, 12, 'by header');
  const byKey = await fetch(`${standin.url}/api/tenant/password-validation-rules`, { headers: { authorization: BOUND_KEY } });
  t.equal(byKey.status, 200);
  t.equal(((await byKey.json()) as { passwordValidationRules: { minLength: number } }).passwordValidationRules.minLength, 12, 'by a bound key');
  const wrongKey = await fetch(`${standin.url}/api/tenant/password-validation-rules`, { headers: { authorization: 'not-a-key' } });
  t.equal(wrongKey.status, 200, 'a key that is no key is ignored: none is needed');
  assertEmpty(t, await settle(byHeader.retrievePasswordValidationRulesWithTenantId(DEFAULT_TENANT)), 404);
});

t.test('an id or header that names no tenant', async (t) => {
  assertEmpty(t, await settle(anonymous.retrievePasswordValidationRulesWithTenantId(NOBODY)), 404);
  assertGeneralError(t, await settle(new FusionAuthClient('', standin.url, NOBODY).retrievePasswordValidationRules()), '[invalid]tenantId');
});

// FusionAuth's Retrieve System Health (FusionAuth's OpenAPI description, `/api/health`): 200 while healthy, no API key.
t.test('retrieveSystemHealth: 200 with no body, without an API key', async (t) => {
  const answer = await anonymous.retrieveSystemHealth();
  t.equal(answer.statusCode, 200);
  t.equal(answer.response, undefined, 'no body');
  const raw = await fetch(`${standin.url}/api/health`);
  t.equal(raw.status, 200);
  t.equal(await raw.text(), '');
  t.equal(raw.headers.get('cache-control'), 'no-store', 'never cached: the next check must reach the server');
});

// Last: it closes the database under the running Standin.
t.test('retrieveSystemHealth: 500 with no body once the database does not answer', async (t) => {
  standin.app.standin.stores.db.close();
  const answer = await settle(anonymous.retrieveSystemHealth());
  t.equal(answer.statusCode, 500);
  t.equal(answer.exception, undefined, 'no body');
});
