import { ApiError, FieldErrors } from '../errors.js';
import { sendTemplatedEmail } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import { isObject } from '../model/json.js';
import { emailMethodEnabled, oneTimeCodeSeconds } from '../model/multi-factor-configuration.js';
import { generate } from '../model/secure-generator.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { hashSecret } from '../store/secrets.js';

/**
 * FusionAuth's email two-factor method (https://fusionauth.io/docs/apis/two-factor, "Send a Multi-Factor Code"):
 * one-time codes emailed to enable an address, to disable a method, or to finish a pending login. Each lives the
 * tenant's `twoFactorOneTimeCodeIdTimeToLiveInSeconds` on Standin's clock, is kept hashed, works once, and a new send
 * for the same purpose replaces the earlier one (docs/two-factor.md, "The email method").
 */

/** What a code is for: each purpose keeps one live code. */
export const codeScope = {
  enable: (userId: string, email: string) => `enable:${userId}:${email.toLowerCase()}`,
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

/** The message naming the methods Standin does not model, for `[NotModelled]` answers. */
export const UNMODELLED_METHODS =
  'Standin does not model the [sms] and [voice] two-factor methods: it never sends text or voice messages (docs/messengers.md).';

/** Refuses SMS and voice loudly: Standin's messengers never send (docs/messengers.md). */
export function refuseUnmodelledMethod(method: unknown): void {
  if (method === 'sms' || method === 'voice') throw ApiError.general('[NotModelled]', UNMODELLED_METHODS);
}

interface Delivery {
  standin: Standin;
  user: User;
  tenant: Tenant;
  application?: Application | undefined;
  address: string;
  scope: string;
  methodId?: string;
}

/** Makes, keeps and emails a code (the two-factor template: the application's, the tenant's, else Standin's). */
function deliver({ standin, user, tenant, application, address, scope, methodId }: Delivery): void {
  const code = newCode(tenant);
  const now = standin.config.now();
  standin.stores.twoFactor.purgeExpired(now);
  standin.stores.twoFactor.putOneTimeCode(scope, user.id, code, methodId, now + oneTimeCodeSeconds(tenant) * 1000);
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

export interface SendRequest {
  method?: unknown;
  methodId?: unknown;
  email?: unknown;
}

/**
 * `POST /api/two-factor/send` (API key or the user's JWT): with `methodId`, a code to disable that method of the
 * user; else with `method: "email"` and `email`, a code to enable that address.
 */
export function sendEnableDisableCode(standin: Standin, user: User, application: Application | undefined, request: SendRequest): void {
  const tenant = standin.stores.tenants.get(user.tenantId)!;
  const errors = new FieldErrors();
  const { method, methodId, email } = request;
  if (typeof methodId === 'string' && methodId !== '') {
    const found = standin.stores.twoFactor.methods(user.id).find((m) => m.id === methodId);
    if (!found) errors.add('methodId', 'invalid', `The [methodId] property value [${methodId}] is not a method of this user.`);
    else if (found.method !== 'email' || !found.email)
      errors.add('methodId', 'invalid', `The method [${methodId}] is an [${found.method}] method: no code is sent for it.`);
    else if (requireEmailEnabled(tenant, errors)) {
      errors.throwIfAny();
      deliver({ standin, user, tenant, application, address: found.email, scope: codeScope.disable(user.id, found.id), methodId: found.id });
      return;
    }
    errors.throwIfAny();
    return;
  }
  refuseUnmodelledMethod(method);
  if (method === undefined || method === null || method === '')
    errors.add('method', 'blank', 'You must specify the [method] or the [methodId] property.');
  else if (method !== 'email') errors.add('method', 'invalid', 'The [method] property must be [email] (or [sms], which Standin does not model).');
  else requireEmailEnabled(tenant, errors);
  if (email === undefined || email === null || email === '') errors.add('email', 'blank', 'You must specify the [email] property.');
  else if (!isEmailAddress(email)) errors.add('email', 'invalid', 'The [email] property must be an email address.');
  errors.throwIfAny();
  deliver({ standin, user, tenant, application, address: email as string, scope: codeScope.enable(user.id, email as string) });
}

/**
 * `POST /api/two-factor/send/{twoFactorId}` (no auth): a code for a pending login (or step-up) to the email method
 * `methodId`; it replaces an earlier code of the same login. An empty 404 for an unknown or expired twoFactorId.
 */
export function sendLoginCode(standin: Standin, twoFactorId: string, methodId: unknown): void {
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
  else if (found.method !== 'email' || !found.email)
    errors.add('methodId', 'invalid', `The method [${methodId as string}] is an [${found.method}] method: no code is sent for it.`);
  else requireEmailEnabled(tenant, errors);
  errors.throwIfAny();
  const applicationId = pending.body.applicationId ?? pending.body.stepUpApplicationId;
  const application = typeof applicationId === 'string' ? stores.applications.get(applicationId) : undefined;
  deliver({ standin, user, tenant, application, address: found!.email!, scope: codeScope.login(twoFactorId), methodId: found!.id });
}
