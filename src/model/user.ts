import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';
import { checkPreferredLanguages } from './locales.js';
import { checkPassword, DEFAULT_PASSWORD_RULES, type PasswordRules } from './password-rules.js';

export interface User extends JsonObject {
  id: string;
  tenantId: string;
  email?: string;
  username?: string;
  active: boolean;
  verified: boolean;
  passwordChangeRequired: boolean;
  data: JsonObject;
  twoFactor: { methods: unknown[] };
  usernameStatus: 'ACTIVE';
  insertInstant: number;
  lastUpdateInstant: number;
  passwordLastUpdateInstant?: number;
  /** Milliseconds since the epoch after which the user can no longer log in (model/user-expiry.ts). */
  expiry?: number;
}

/** A user as built from a request: the object to store, and the new password if one was given. */
export interface UserDraft {
  user: User;
  password: string | undefined;
}

export interface UserContext {
  id: string;
  tenantId: string;
  now: number;
  existing?: User;
  /** Whether the user being replaced already has a password, so that a PUT need not resend it. */
  hasPassword: boolean;
  /** Another user of the tenant already holds this email or username. */
  isTaken: (field: 'email' | 'username', value: string) => boolean;
  /** The tenant's password rules (model/password-rules.ts); FusionAuth's defaults when left out. */
  passwordRules?: PasswordRules;
  /**
   * The create asks for the set-password email (manage/set-password-email.ts): a user with an email needs no
   * password, and one given is ignored, as FusionAuth ignores it (https://fusionauth.io/docs/apis/users/create).
   */
  passwordSetByEmail?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Builds a user from the `user` member of a request body, or throws FusionAuth's field errors. */
export function buildUser(input: unknown, context: UserContext): UserDraft {
  const errors = new FieldErrors();
  const given: JsonObject = isObject(input) ? { ...input } : {};
  const givenPassword = given.password;
  // Never stored in the body: the hash lives in its own column.
  for (const field of [
    'id',
    'tenantId',
    'password',
    'insertInstant',
    'lastUpdateInstant',
    'passwordLastUpdateInstant',
    'registrations',
    'memberships',
  ] as const) {
    delete given[field];
  }
  // FusionAuth's User API gives `expiry` as an instant in milliseconds; null takes it away.
  if (given.expiry === null) delete given.expiry;
  const user: User = {
    active: true,
    verified: true,
    passwordChangeRequired: false,
    data: {},
    usernameStatus: 'ACTIVE',
    ...given,
    // Methods are added and removed through the Two Factor API only (docs/two-factor.md): the User API keeps them.
    twoFactor: context.existing?.twoFactor ?? { methods: [] },
    id: context.id,
    tenantId: context.tenantId,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (context.existing?.passwordLastUpdateInstant !== undefined) user.passwordLastUpdateInstant = context.existing.passwordLastUpdateInstant;

  // FusionAuth keeps an email lower-cased (User API, `user.email`: https://fusionauth.io/docs/apis/users), so a
  // user created as `Jane@Example.com` is answered, signed into tokens and found as `jane@example.com`.
  const email = optionalString(user.email, 'user.email', errors)?.toLowerCase();
  const username = optionalString(user.username, 'user.username', errors);
  setOrDelete(user, 'email', email);
  setOrDelete(user, 'username', username);
  if (email === undefined && username === undefined) {
    errors.add('user.email', 'blank', 'You must specify either the [user.email] or [user.username] property.');
    errors.add('user.username', 'blank', 'You must specify either the [user.email] or [user.username] property.');
  }
  if (email !== undefined) {
    if (!EMAIL.test(email)) errors.add('user.email', 'notEmail', 'The [user.email] property must be a valid email address.');
    else if (context.isTaken('email', email)) errors.add('user.email', 'duplicate', `A User with email = [${email}] already exists.`);
  }
  if (username !== undefined && context.isTaken('username', username)) {
    errors.add('user.username', 'duplicate', `A User with username = [${username}] already exists.`);
  }
  if (user.birthDate !== undefined && !isCalendarDay(user.birthDate)) {
    errors.add('user.birthDate', 'invalid', 'The [user.birthDate] property must be a date in the format YYYY-MM-DD.');
  }
  checkPreferredLanguages(user.preferredLanguages, 'user.preferredLanguages', errors);
  if (given.expiry !== undefined && !Number.isSafeInteger(given.expiry)) {
    errors.add('user.expiry', 'invalid', 'The [user.expiry] property must be a number of milliseconds since the epoch.');
  }
  if (!isObject(user.data)) errors.add('user.data', 'invalid', 'The [user.data] property must be an object.');

  const setByEmail = context.passwordSetByEmail === true && email !== undefined;
  const password = setByEmail ? undefined : givenPassword;
  if (password === undefined || password === null || password === '') {
    if (!context.hasPassword && !setByEmail) errors.add('user.password', 'blank', 'You must specify the [user.password] property.');
  } else {
    checkPassword(context.passwordRules ?? DEFAULT_PASSWORD_RULES, password, 'user.password', errors);
  }
  errors.throwIfAny();
  if (typeof password === 'string' && password !== '') user.passwordLastUpdateInstant = context.now;
  return { user, password: typeof password === 'string' && password !== '' ? password : undefined };
}

/**
 * A `YYYY-MM-DD` day that exists: JavaScript's Date.parse rolls `2023-02-30` over to March 2nd, where FusionAuth's
 * date parsing refuses it (User API, `user.birthDate`: an ISO-8601 date).
 */
function isCalendarDay(value: unknown): boolean {
  const match = typeof value === 'string' ? BIRTH_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Email and username are matched without regard to case, as FusionAuth does. */
export function lookupKey(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

function setOrDelete(user: User, field: 'email' | 'username', value: string | undefined): void {
  if (value === undefined) delete user[field];
  else user[field] = value;
}

function optionalString(value: unknown, field: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.add(field, 'invalid', `The [${field}] property must be a string.`);
    return undefined;
  }
  return value.trim();
}
