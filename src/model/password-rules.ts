import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * The members of a tenant's `passwordValidationRules` Standin enforces (Tenant API,
 * https://fusionauth.io/docs/apis/tenants, "passwordValidationRules"). `rememberPreviousPasswords` is enforced
 * on password changes (manage/change-password.ts); `breachDetection`, `disallowUserLoginId` and `validateOnLogin`
 * are stored and answered but not enforced (docs/self-service-registration.md).
 */
export interface PasswordRules {
  minLength: number;
  maxLength: number;
  requireMixedCase: boolean;
  requireNonAlpha: boolean;
  requireNumber: boolean;
}

/** FusionAuth's defaults: 8 to 256 characters, no character classes required. */
export const DEFAULT_PASSWORD_RULES: Readonly<PasswordRules> = {
  minLength: 8,
  maxLength: 256,
  requireMixedCase: false,
  requireNonAlpha: false,
  requireNumber: false,
};

// FusionAuth caps maxLength at 256; the cap also bounds argon2's work on a hostile password.
const LENGTH_CAP = 256;

/** The rules a tenant's `passwordValidationRules` sets, FusionAuth's defaults for what it leaves out. */
export function passwordRulesOf(tenant: JsonObject | undefined): PasswordRules {
  const given = isObject(tenant?.passwordValidationRules) ? tenant.passwordValidationRules : {};
  const flag = (name: 'requireMixedCase' | 'requireNonAlpha' | 'requireNumber') => given[name] === true;
  return {
    minLength: isWholeNumberIn(given.minLength, 1, LENGTH_CAP) ? given.minLength : DEFAULT_PASSWORD_RULES.minLength,
    maxLength: isWholeNumberIn(given.maxLength, 1, LENGTH_CAP) ? given.maxLength : DEFAULT_PASSWORD_RULES.maxLength,
    requireMixedCase: flag('requireMixedCase'),
    requireNonAlpha: flag('requireNonAlpha'),
    requireNumber: flag('requireNumber'),
  };
}

/** Refuses `tenant.passwordValidationRules` Standin could not apply: lengths 1 to 256, the minimum not above the maximum. */
export function checkPasswordValidationRules(value: unknown, errors: FieldErrors): void {
  if (value === undefined || value === null) return;
  const path = 'tenant.passwordValidationRules';
  if (!isObject(value)) {
    errors.add(path, 'invalid', `The [${path}] property must be an object.`);
    return;
  }
  for (const name of ['minLength', 'maxLength'] as const) {
    if (value[name] !== undefined && !isWholeNumberIn(value[name], 1, LENGTH_CAP)) {
      errors.add(`${path}.${name}`, 'invalid', `The [${path}.${name}] property must be between 1 and ${LENGTH_CAP}.`);
    }
  }
  const rules = passwordRulesOf({ passwordValidationRules: value });
  if (rules.minLength > rules.maxLength) {
    errors.add(`${path}.minLength`, 'invalid', `The [${path}.minLength] property must not be greater than [${path}.maxLength].`);
  }
}

/**
 * Checks a password against the tenant's rules and adds FusionAuth's field errors for each rule it breaks
 * on `field` (`user.password` on the User and Registration APIs, `password` on the Change Password API):
 * `blank`, `tooShort`, `tooLong`, `singleCase`, `onlyAlpha`, `requireNumber`. Returns the errors, so a
 * caller may collect more before throwing. Lengths count code points, as a person counts characters.
 */
export function checkPassword(rules: PasswordRules, password: unknown, field = 'user.password', errors = new FieldErrors()): FieldErrors {
  for (const code of brokenPasswordRules(rules, password)) errors.add(field, code, ruleMessage(code, field, rules));
  return errors;
}

/**
 * The rules `password` breaks, as FusionAuth's codes: `blank` or `invalid` alone, else any of `tooShort` or
 * `tooLong`, `singleCase`, `onlyAlpha`, `requireNumber`, in that order.
 */
export function brokenPasswordRules(rules: PasswordRules, password: unknown): string[] {
  if (password === undefined || password === null || password === '') return ['blank'];
  if (typeof password !== 'string') return ['invalid'];
  const broken: string[] = [];
  // Counted in code points, as a person counts characters.
  const length = Array.from(password).length;
  if (length < rules.minLength) broken.push('tooShort');
  else if (length > rules.maxLength) broken.push('tooLong');
  if (rules.requireMixedCase && !(/\p{Lu}/u.test(password) && /\p{Ll}/u.test(password))) broken.push('singleCase');
  if (rules.requireNonAlpha && !/[^\p{L}\p{N}]/u.test(password)) broken.push('onlyAlpha');
  if (rules.requireNumber && !/\p{N}/u.test(password)) broken.push('requireNumber');
  return broken;
}

/** What FusionAuth's hosted pages show under the password field for each broken rule (its theme's messages). */
export const PASSWORD_RULE_PAGE_MESSAGES: Readonly<Record<string, string>> = {
  blank: 'Required',
  tooShort: 'Password does not meet the minimum length requirement',
  tooLong: 'Password exceeds the maximum length requirement',
  singleCase: 'Password must use upper and lowercase characters',
  onlyAlpha: 'Password must contain a punctuation character',
  requireNumber: 'Password must contain a number character',
};

function ruleMessage(code: string, field: string, rules: PasswordRules): string {
  switch (code) {
    case 'blank':
      return `You must specify the [${field}] property.`;
    case 'invalid':
      return `The [${field}] property must be a string.`;
    case 'tooShort':
      return `The [${field}] property is shorter than the minimum of [${rules.minLength}] characters.`;
    case 'tooLong':
      return `The [${field}] property is longer than the maximum of [${rules.maxLength}] characters.`;
    case 'singleCase':
      return `The [${field}] property must contain both upper and lower case characters.`;
    case 'onlyAlpha':
      return `The [${field}] property must contain at least one non-alphanumeric character.`;
    default:
      return `The [${field}] property must contain at least one number.`;
  }
}

function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
