import t from 'tap';
import type { ApiError } from '../../src/errors.js';
import { checkPassword, DEFAULT_PASSWORD_RULES, passwordRulesOf } from '../../src/model/password-rules.js';

/** The codes of FusionAuth's field errors the check reports, as the API would answer them. */
function codes(rules: Parameters<typeof checkPassword>[0], password: unknown, field?: string): string[] {
  try {
    checkPassword(rules, password, field).throwIfAny();
    return [];
  } catch (error) {
    return Object.values((error as ApiError).errors?.fieldErrors ?? {})
      .flat()
      .map((entry) => entry.code);
  }
}

t.test("a tenant's rules, FusionAuth's defaults for what it leaves out or sets wrong", async (t) => {
  t.same(passwordRulesOf(undefined), DEFAULT_PASSWORD_RULES);
  t.same(passwordRulesOf({ passwordValidationRules: { minLength: 12, requireNumber: true, maxLength: 'x' } }), {
    ...DEFAULT_PASSWORD_RULES,
    minLength: 12,
    requireNumber: true,
  });
  t.same(passwordRulesOf({ passwordValidationRules: 'strict' }), DEFAULT_PASSWORD_RULES);
});

t.test('lengths count characters, not UTF-16 units or bytes', async (t) => {
  t.same(codes(DEFAULT_PASSWORD_RULES, '😀😀😀😀'), ['[tooShort]user.password'], 'four emoji are four characters');
  t.same(codes(DEFAULT_PASSWORD_RULES, 'é'.repeat(256)), [], '256 two-byte characters are within 256');
  t.same(codes(DEFAULT_PASSWORD_RULES, 'é'.repeat(257)), ['[tooLong]user.password']);
});

t.test('each broken rule is its own error, on the field asked for', async (t) => {
  const strict = { minLength: 10, maxLength: 20, requireMixedCase: true, requireNonAlpha: true, requireNumber: true };
  t.same(codes(strict, 'abc', 'password'), ['[tooShort]password', '[singleCase]password', '[onlyAlpha]password', '[requireNumber]password']);
  t.same(codes(strict, 'Ünïcode-Pass-1'), [], 'Unicode letters count for mixed case, "-" is non-alphanumeric');
  t.same(codes(strict, 'ÉCOLE-ÉCOLE-1'), ['[singleCase]user.password']);
  t.same(codes(strict, ''), ['[blank]user.password']);
  t.same(codes(strict, 12345678901), ['[invalid]user.password'], 'a number is not a password');
});
