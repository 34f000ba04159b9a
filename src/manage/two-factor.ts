import { randomBytes, randomInt } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import { methodKindEnabled } from '../model/multi-factor-configuration.js';
import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import { base32Decode, base32Encode } from '../oauth/two-factor-base32.js';
import { matchingStep, timeStep, TOTP, totpCode } from '../oauth/two-factor-totp.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import type { StoredMethod } from '../store/two-factor.js';
import { codeScope, isEmailAddress, isPhoneNumber, refuseUnmodelledMethod } from './two-factor-email.js';

/**
 * FusionAuth's Two Factor API for the authenticator, email and SMS methods (https://fusionauth.io/docs/apis/two-factor):
 * secrets, enabling and disabling methods, recovery codes, and checking a code. The emailed and texted codes are
 * two-factor-email.ts's; voice is refused with `[NotModelled]` (docs/two-factor.md).
 */

/** FusionAuth's generated secret: 20 random bytes (the RFC 4226 §4 recommended length), base64 and base32. */
export function generateSecret(): { secret: string; secretBase32Encoded: string } {
  const bytes = randomBytes(20);
  return { secret: bytes.toString('base64'), secretBase32Encoded: base32Encode(bytes) };
}

type ShownMethod = Pick<StoredMethod, 'id' | 'method' | 'name' | 'email' | 'mobilePhone'>;

/** A method as the User API shows it: never the secret; an email method's address, an SMS method's phone. */
export function publicMethod(method: ShownMethod): JsonObject {
  const detail =
    method.method === 'email'
      ? { email: method.email ?? '' }
      : method.method === 'sms'
        ? { mobilePhone: method.mobilePhone ?? '' }
        : { authenticator: { ...TOTP } };
  return { id: method.id, method: method.method, ...detail, ...(method.name === undefined ? {} : { name: method.name }) };
}

/** The user as stored, with `twoFactor.methods` matching the user's methods (what every User API answer shows). */
export function withMethods(stores: Stores, user: User, now: number): User {
  const methods = stores.twoFactor.methods(user.id).map(publicMethod);
  return { ...user, twoFactor: { ...user.twoFactor, methods }, lastUpdateInstant: now };
}

const METHOD_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A method id as FusionAuth's look (four characters), unique among the user's methods. */
function newMethodId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = Array.from({ length: 4 }, () => METHOD_ID_ALPHABET[randomInt(METHOD_ID_ALPHABET.length)]).join('');
    if (!taken.has(id)) return id;
  }
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Ten recovery codes (FusionAuth answers ten): ten characters each, as `XXXXX-XXXXX`. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as stored: upper case, no dash or spaces, so the user may type it either way. */
function canonicalRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export interface EnableRequest {
  method?: unknown;
  code?: unknown;
  secret?: unknown;
  secretBase32Encoded?: unknown;
  /** The email method's address, to which `POST /api/two-factor/send` sent `code`. */
  email?: unknown;
  /** The SMS method's phone, to which `POST /api/two-factor/send` texted `code`. */
  mobilePhone?: unknown;
  /** The method's display name (FusionAuth 1.68). */
  name?: unknown;
}

/**
 * Enables the authenticator method with a code proving the caller holds the secret, or the email (SMS) method with the
 * code `POST /api/two-factor/send` emailed (texted) to that address (phone). Field errors are 400; a wrong code is FusionAuth's empty
 * 421. Answers the recovery codes when this is the user's first method.
 */
export function enableTwoFactor(standin: Standin, user: User, tenant: Tenant, request: EnableRequest, now: number): { recoveryCodes?: string[] } {
  const { stores } = standin;
  const errors = new FieldErrors();
  const { method, code } = request;
  refuseUnmodelledMethod(method);
  if (method === undefined || method === null || method === '') errors.add('method', 'blank', 'You must specify the [method] property.');
  else if (method !== 'authenticator' && method !== 'email' && method !== 'sms')
    errors.add('method', 'invalid', 'The [method] property must be one of [authenticator, email, sms].');
  else if (!methodKindEnabled(tenant, method)) errors.add('method', 'disabled', `The [${method}] method is not enabled for this tenant.`);
  if (typeof code !== 'string' || code === '') errors.add('code', 'blank', 'You must specify the [code] property.');
  const isEmail = method === 'email';
  const isSms = method === 'sms';
  const isMessage = isEmail || isSms;
  const secret = isMessage ? undefined : secretBytes(request, errors);
  const email = isEmail ? emailOf(request, errors) : undefined;
  const mobilePhone = isSms ? mobilePhoneOf(request, errors) : undefined;
  const name = methodName(request.name, errors);
  errors.throwIfAny();

  const step = isMessage ? undefined : matchingStep(secret!, code as string, now);
  if (!isMessage && step === undefined) throw new ApiError(421);
  const enableScope = isEmail ? codeScope.enable(user.id, email!) : isSms ? codeScope.enableSms(user.id, mobilePhone!) : undefined;
  const enabled = stores.db
    .transaction(() => {
      // The sent code is used up in the same write that adds the method: it enables one method once.
      if (enableScope !== undefined && !stores.twoFactor.takeOneTimeCode(enableScope, (code as string).trim(), now)) return undefined;
      const existing = stores.twoFactor.methods(user.id);
      const id = newMethodId(new Set(existing.map((m) => m.id)));
      const stored = isEmail
        ? { id, method: 'email', secret: '', email: email! }
        : isSms
          ? { id, method: 'sms', secret: '', mobilePhone: mobilePhone! }
          : { id, method: 'authenticator', secret: base32Encode(secret!) };
      stores.twoFactor.addMethod(user.id, { ...stored, ...(name === undefined ? {} : { name }) }, now);
      // The enrolment code is used: it cannot also finish a login (RFC 6238 §5.2).
      if (step !== undefined) stores.twoFactor.useStep(user.id, id, step);
      stores.users.update(withMethods(stores, user, now));
      if (existing.length > 0) return { id, answer: {} };
      // The tenant's refreshTokenRevocationPolicy.onMultiFactorEnable: sessions started with one factor end when the
      // user turns on a second (https://fusionauth.io/docs/apis/tenants).
      if (tenant.jwtConfiguration.refreshTokenRevocationPolicy.onMultiFactorEnable) stores.refreshTokens.deleteOfUser(user.id);
      const recoveryCodes = newRecoveryCodes();
      stores.twoFactor.setRecoveryCodes(user.id, recoveryCodes.map(canonicalRecoveryCode));
      return { id, answer: { recoveryCodes } };
    })
    .immediate();
  if (!enabled) throw new ApiError(421);
  const { id, answer } = enabled;
  emitMethodEvent(standin, 'user.two-factor.method.add', user.id, {
    id,
    method: isEmail ? 'email' : isSms ? 'sms' : 'authenticator',
    ...(email === undefined ? {} : { email }),
    ...(mobilePhone === undefined ? {} : { mobilePhone }),
    ...(name === undefined ? {} : { name }),
  });
  return answer;
}

/** The email method's address: required, and an address. */
function emailOf(request: EnableRequest, errors: FieldErrors): string | undefined {
  const { email } = request;
  if (email === undefined || email === null || email === '') errors.add('email', 'blank', 'You must specify the [email] property.');
  else if (!isEmailAddress(email)) errors.add('email', 'invalid', 'The [email] property must be an email address.');
  else return email;
  return undefined;
}

/** The SMS method's phone: required, and a phone number. */
function mobilePhoneOf(request: EnableRequest, errors: FieldErrors): string | undefined {
  const { mobilePhone } = request;
  if (mobilePhone === undefined || mobilePhone === null || mobilePhone === '')
    errors.add('mobilePhone', 'blank', 'You must specify the [mobilePhone] property.');
  else if (!isPhoneNumber(mobilePhone)) errors.add('mobilePhone', 'invalid', 'The [mobilePhone] property must be a phone number.');
  else return mobilePhone;
  return undefined;
}

/**
 * `user.two-factor.method.add` / `.remove` (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-two-factor-method-add):
 * the method as the User API shows it (never its secret) and the user after the change; sent after the commit.
 */
function emitMethodEvent(standin: Standin, type: string, userId: string, method: ShownMethod): void {
  emitEvent(standin, () => {
    const user = standin.stores.users.get(userId);
    return user ? userEvent(standin.stores, type, user, { method: publicMethod(method) }) : undefined;
  });
}

/** The longest display name FusionAuth takes (Update Multi-Factor Method: "The maximum length is 256 characters"). */
const MAX_METHOD_NAME = 256;

/**
 * A method's display name: undefined for none (absent, null or empty: FusionAuth's update clears the name when it is
 * omitted); a field error when it is not text or is too long.
 */
export function methodName(given: unknown, errors: FieldErrors): string | undefined {
  if (given === undefined || given === null || given === '') return undefined;
  if (typeof given !== 'string') errors.add('name', 'invalid', 'The [name] property must be a string.');
  else if (given.length > MAX_METHOD_NAME) errors.add('name', 'tooLong', `The [name] property is longer than ${MAX_METHOD_NAME} characters.`);
  else return given;
  return undefined;
}

function secretBytes(request: EnableRequest, errors: FieldErrors): Buffer | undefined {
  const { secret, secretBase32Encoded } = request;
  if (typeof secretBase32Encoded === 'string' && secretBase32Encoded !== '') {
    const bytes = base32Decode(secretBase32Encoded);
    if (bytes && bytes.length >= 10) return bytes;
    errors.add('secretBase32Encoded', 'invalid', 'The [secretBase32Encoded] property must be a base32 encoded secret of at least 10 bytes.');
    return undefined;
  }
  if (typeof secret === 'string' && secret !== '') {
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(secret) ? Buffer.from(secret, 'base64') : undefined;
    if (bytes && bytes.length >= 10) return bytes;
    errors.add('secret', 'invalid', 'The [secret] property must be a base64 encoded secret of at least 10 bytes.');
    return undefined;
  }
  errors.add('secret', 'blank', 'You must specify either the [secret] or the [secretBase32Encoded] property.');
  return undefined;
}

/**
 * What a presented code proved: a TOTP code of one method (its step now used), an emailed code of one method (now
 * used), or a recovery code (now used).
 */
export type SecondFactor = { ok: true; kind: 'authenticator' | 'message'; methodId: string } | { ok: true; kind: 'recovery' } | { ok: false };

/**
 * Checks a second factor: a current code of the user's authenticator methods (`methodId` narrows it to one), each
 * step accepted once; the live emailed code of `emailScope` (two-factor-email.ts), once; or one of the user's
 * recovery codes, each accepted once. Marks what it accepts as used.
 */
export function checkSecondFactor(stores: Stores, userId: string, code: string, now: number, methodId?: string, emailScope?: string): SecondFactor {
  const trimmed = code.trim();
  if (emailScope !== undefined) {
    const taken = stores.twoFactor.takeOneTimeCode(emailScope, trimmed, now);
    if (taken?.userId === userId && taken.methodId !== undefined) return { ok: true, kind: 'message', methodId: taken.methodId };
  }
  for (const method of stores.twoFactor.methods(userId)) {
    // Only an authenticator has a TOTP secret: an email or SMS method's codes are the sent ones above.
    if (method.method !== 'authenticator') continue;
    if (methodId !== undefined && methodId !== '' && method.id !== methodId) continue;
    const secret = base32Decode(method.secret);
    const step = secret ? matchingStep(secret, trimmed, now) : undefined;
    if (step !== undefined && stores.twoFactor.useStep(userId, method.id, step)) return { ok: true, kind: 'authenticator', methodId: method.id };
  }
  if (/^[A-Za-z0-9\s-]{8,20}$/.test(trimmed) && stores.twoFactor.takeRecoveryCode(userId, canonicalRecoveryCode(trimmed)))
    return { ok: true, kind: 'recovery' };
  return { ok: false };
}

/**
 * Disables a method with a code of that method, or every method with a recovery code (FusionAuth: a recovery code
 * removes all methods and the recovery codes). A wrong code is the empty 421; an unknown method a field error.
 */
export function disableTwoFactor(standin: Standin, user: User, request: { methodId?: unknown; code?: unknown }, now: number): void {
  const { stores } = standin;
  const errors = new FieldErrors();
  const { methodId, code } = request;
  if (typeof code !== 'string' || code === '') errors.add('code', 'blank', 'You must specify the [code] property.');
  if (typeof methodId !== 'string' || methodId === '') errors.add('methodId', 'blank', 'You must specify the [methodId] property.');
  else if (!stores.twoFactor.methods(user.id).some((m) => m.id === methodId))
    errors.add('methodId', 'invalid', `The [methodId] property value [${methodId}] is not a method of this user.`);
  errors.throwIfAny();
  const before = stores.twoFactor.methods(user.id);
  const disabled = stores.db
    .transaction(() => {
      const proof = checkSecondFactor(stores, user.id, code as string, now, methodId as string, codeScope.disable(user.id, methodId as string));
      if (!proof.ok) return false;
      if (proof.kind === 'recovery') stores.twoFactor.removeAll(user.id);
      else stores.twoFactor.removeMethod(user.id, proof.methodId);
      // With the last method gone, the recovery codes and trusted devices go too: nothing is left to recover.
      if (stores.twoFactor.methods(user.id).length === 0) stores.twoFactor.removeAll(user.id);
      stores.users.update(withMethods(stores, user, now));
      return true;
    })
    .immediate();
  if (!disabled) throwInvalidCode();
  // One event per method gone: a recovery code removes them all.
  const left = new Set(stores.twoFactor.methods(user.id).map((method) => method.id));
  for (const method of before) if (!left.has(method.id)) emitMethodEvent(standin, 'user.two-factor.method.remove', user.id, method);
}

function throwInvalidCode(): never {
  throw new ApiError(421);
}

/** New recovery codes for a user with two-factor on; the old ones stop working. 400 when the user has no method. */
export function regenerateRecoveryCodes(stores: Stores, user: User): string[] {
  if (stores.twoFactor.methods(user.id).length === 0) {
    throw ApiError.general('[TwoFactorNotEnabled]', 'The user does not have two-factor authentication enabled.');
  }
  const codes = newRecoveryCodes();
  stores.db
    .transaction(() => {
      stores.twoFactor.setRecoveryCodes(user.id, codes.map(canonicalRecoveryCode));
    })
    .immediate();
  return codes;
}

/** Beyond FusionAuth, for tests: the code the user's authenticator shows now (first method, or `methodId`). */
export function currentCode(
  stores: Stores,
  userId: string,
  now: number,
  methodId?: string,
): { methodId: string; code: string; used: boolean; expiresInSeconds: number } | undefined {
  const method = stores.twoFactor.methods(userId).find((m) => m.method === 'authenticator' && (methodId === undefined || m.id === methodId));
  const secret = method ? base32Decode(method.secret) : undefined;
  if (!method || !secret) return undefined;
  const stepMs = TOTP.timeStep * 1000;
  // `used`: this step's code was accepted already, so the next one (after the clock moves) is needed.
  return {
    methodId: method.id,
    code: totpCode(secret, now),
    used: method.lastStep >= timeStep(now),
    expiresInSeconds: Math.ceil((stepMs - (now % stepMs)) / 1000),
  };
}
