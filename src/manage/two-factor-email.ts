import { ApiError, FieldErrors } from '../errors.js';
import { sendTemplatedEmail } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import { isObject } from '../model/json.js';
import { prepareTwoFactorSms, sendTwoFactorSms } from '../messengers/send-two-factor-sms.js';
import { emailMethodEnabled, oneTimeCodeSeconds, smsMethodEnabled } from '../model/multi-factor-configuration.js';
import { generate } from '../model/secure-generator.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { hashSecret } from '../store/secrets.js';
import type { StoredMethod } from '../store/two-factor.js';

/**
 * FusionAuth's email and SMS two-factor methods (https://fusionauth.io/docs/apis/two-factor, "Send a Multi-Factor
 * Code"): one-time codes emailed or texted to enable an address or phone, to disable a method, or to finish a pending
 * login. Each lives the tenant's `twoFactorOneTimeCodeIdTimeToLiveInSeconds` on Standin's clock, is kept hashed, works
 * once, and a new send for the same purpose replaces the earlier one (docs/two-factor.md, "The email method", "The
 * SMS method"). Texts go through the tenant's messenger (messengers/send-two-factor-sms.ts).
 */

/** What a code is for: each purpose keeps one live code. */
export const codeScope = {
  enable: (userId: string, email: string) => `enable:${userId}:${email.toLowerCase()}`,
  enableSms: (userId: string, mobilePhone: string) => `enable-sms:${userId}:${mobilePhone}`,
  disable: (userId: string, methodId: string) => `disable:${userId}:${methodId}`,
  login: (twoFactorId: string) => `login:${hashSecret(twoFactorId)}`,
};

/** A new code as the tenant's `twoFactorOneTimeCodeIdGenerator` makes them (FusionAuth's default: six digits). */
function newCode(tenant: Tenant): string {
  const identifiers: unknown = tenant.externalIdentifierConfiguration;
  return generate(isObject(identifiers) ? identifiers.twoFactorOneTimeCodeIdGenerator : undefined, { length: 6, type: 'randomDigits' });
}

/** A plausible address: something@something, no spaces (FusionAuth checks the email property's format). */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(value);
}

/**
 * A plausible phone number: digits, at least three, with the `+`, spaces, dots, dashes and parentheses people write
 * (FusionAuth's docs show both `555-555-5555` and `+15555551234`).
 */
export function isPhoneNumber(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && /^\+?[0-9 ().-]+$/.test(value) && (value.match(/[0-9]/g)?.length ?? 0) >= 3;
}

/** The message naming the method Standin does not model, for `[NotModelled]` answers. */
export const UNMODELLED_METHODS = 'Standin does not model the [voice] two-factor method: it makes no voice calls (docs/messengers.md).';

/** Refuses voice loudly: no messenger of Standin's places a call (docs/messengers.md). */
export function refuseUnmodelledMethod(method: unknown): void {
  if (method === 'voice') throw ApiError.general('[NotModelled]', UNMODELLED_METHODS);
}

interface Delivery {
  standin: Standin;
  user: User;
  tenant: Tenant;
  application?: Application | undefined;
  /** Where the code goes: an email address, or a phone for the SMS method. */
  to: { email: string } | { mobilePhone: string };
  scope: string;
  methodId?: string;
}

/**
 * Makes, keeps and sends a code: emailed (the two-factor template: the application's, the tenant's, else Standin's) or
 * texted through the tenant's messenger. A text that cannot be sent leaves no code behind.
 */
async function deliver({ standin, user, tenant, application, to, scope, methodId }: Delivery): Promise<void> {
  const code = newCode(tenant);
  const now = standin.config.now();
  const keep = () => {
    standin.stores.twoFactor.purgeExpired(now);
    standin.stores.twoFactor.putOneTimeCode(scope, user.id, code, methodId, now + oneTimeCodeSeconds(tenant) * 1000);
  };
  if ('mobilePhone' in to) {
    const sms = { tenant, application, user, phoneNumber: to.mobilePhone, code };
    // A refusal (an unsendable messenger, a template that does not render) comes before the code replaces another.
    prepareTwoFactorSms(standin, sms);
    keep();
    try {
      await sendTwoFactorSms(standin, sms);
    } catch (error) {
      standin.stores.twoFactor.dropOneTimeCode(scope);
      throw error;
    }
    return;
  }
  const address = to.email;
  keep();
  const sent = sendTemplatedEmail(standin, {
    tenant,
    ...(application ? { application } : {}),
    user,
    to: { address },
    templateKind: 'twoFactorCode',
    variables: { code, method: 'email', ...(methodId === undefined ? {} : { methodId }) },
  });
  if (!sent.ok) {
    throw ApiError.general(sent.reason === 'render' ? '[InvalidTemplate]' : '[FeatureDisabled]', sent.message, sent.reason === 'render' ? 500 : 403);
  }
}

function requireEmailEnabled(tenant: Tenant, errors: FieldErrors): boolean {
  if (emailMethodEnabled(tenant)) return true;
  errors.add('method', 'disabled', 'The [email] method is not enabled for this tenant (multiFactorConfiguration.email.enabled).');
  return false;
}

function requireSmsEnabled(tenant: Tenant, errors: FieldErrors): boolean {
  if (smsMethodEnabled(tenant)) return true;
  errors.add('method', 'disabled', 'The [sms] method is not enabled for this tenant (multiFactorConfiguration.sms.enabled).');
  return false;
}

/** Where a stored method's codes go, with the tenant's switch for its kind checked; undefined for an authenticator. */
function destinationOf(method: StoredMethod, tenant: Tenant, errors: FieldErrors): Delivery['to'] | undefined {
  if (method.method === 'email' && method.email) return requireEmailEnabled(tenant, errors) ? { email: method.email } : undefined;
  if (method.method === 'sms' && method.mobilePhone) return requireSmsEnabled(tenant, errors) ? { mobilePhone: method.mobilePhone } : undefined;
  errors.add('methodId', 'invalid', `The method [${method.id}] is an [${method.method}] method: no code is sent for it.`);
  return undefined;
}

export interface SendRequest {
  method?: unknown;
  methodId?: unknown;
  email?: unknown;
  mobilePhone?: unknown;
  /** `SMS` or `Voice` (FusionAuth 1.65): a voice message Standin does not model. */
  messageType?: unknown;
}

/**
 * `POST /api/two-factor/send` (API key or the user's JWT): with `methodId`, a code to disable that method of the
 * user; else with `method: "email"` and `email`, or `method: "sms"` and `mobilePhone`, a code to enable that address or
 * phone.
 */
export async function sendEnableDisableCode(standin: Standin, user: User, application: Application | undefined, request: SendRequest): Promise<void> {
  const tenant = standin.stores.tenants.get(user.tenantId)!;
  const errors = new FieldErrors();
  const { method, methodId, email, mobilePhone } = request;
  if (request.messageType === 'Voice') refuseUnmodelledMethod('voice');
  if (typeof methodId === 'string' && methodId !== '') {
    const found = standin.stores.twoFactor.methods(user.id).find((m) => m.id === methodId);
    if (!found) errors.add('methodId', 'invalid', `The [methodId] property value [${methodId}] is not a method of this user.`);
    const to = found ? destinationOf(found, tenant, errors) : undefined;
    errors.throwIfAny();
    await deliver({ standin, user, tenant, application, to: to!, scope: codeScope.disable(user.id, found!.id), methodId: found!.id });
    return;
  }
  refuseUnmodelledMethod(method);
  if (method === undefined || method === null || method === '')
    errors.add('method', 'blank', 'You must specify the [method] or the [methodId] property.');
  else if (method !== 'email' && method !== 'sms') errors.add('method', 'invalid', 'The [method] property must be [email] or [sms].');
  else if (method === 'email') requireEmailEnabled(tenant, errors);
  else requireSmsEnabled(tenant, errors);
  if (method === 'sms') {
    if (mobilePhone === undefined || mobilePhone === null || mobilePhone === '')
      errors.add('mobilePhone', 'blank', 'You must specify the [mobilePhone] property.');
    else if (!isPhoneNumber(mobilePhone)) errors.add('mobilePhone', 'invalid', 'The [mobilePhone] property must be a phone number.');
    errors.throwIfAny();
    const phone = mobilePhone as string;
    await deliver({ standin, user, tenant, application, to: { mobilePhone: phone }, scope: codeScope.enableSms(user.id, phone) });
    return;
  }
  if (email === undefined || email === null || email === '') errors.add('email', 'blank', 'You must specify the [email] property.');
  else if (!isEmailAddress(email)) errors.add('email', 'invalid', 'The [email] property must be an email address.');
  errors.throwIfAny();
  await deliver({ standin, user, tenant, application, to: { email: email as string }, scope: codeScope.enable(user.id, email as string) });
}

/**
 * `POST /api/two-factor/send/{twoFactorId}` (no auth): a code for a pending login (or step-up) to the email or SMS
 * method `methodId`; it replaces an earlier code of the same login. An empty 404 for an unknown or expired twoFactorId.
 */
export async function sendLoginCode(standin: Standin, twoFactorId: string, methodId: unknown, messageType?: unknown): Promise<void> {
  if (messageType === 'Voice') refuseUnmodelledMethod('voice');
  const { stores } = standin;
  const pending = stores.twoFactor.findLogin(twoFactorId, standin.config.now());
  const user = pending ? stores.users.get(pending.userId) : undefined;
  if (!pending || !user?.active) throw ApiError.notFound();
  const tenant = stores.tenants.get(user.tenantId)!;
  const errors = new FieldErrors();
  if (typeof methodId !== 'string' || methodId === '') errors.add('methodId', 'blank', 'You must specify the [methodId] property.');
  errors.throwIfAny();
  const found = stores.twoFactor.methods(user.id).find((m) => m.id === methodId);
  if (!found) errors.add('methodId', 'invalid', `The [methodId] property value [${methodId as string}] is not a method of this user.`);
  const to = found ? destinationOf(found, tenant, errors) : undefined;
  errors.throwIfAny();
  const applicationId = pending.body.applicationId ?? pending.body.stepUpApplicationId;
  const application = typeof applicationId === 'string' ? stores.applications.get(applicationId) : undefined;
  await deliver({ standin, user, tenant, application, to: to!, scope: codeScope.login(twoFactorId), methodId: found!.id });
}
