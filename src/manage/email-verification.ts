import { emitEvent } from '../events/emit.js';
import { registrationEvent, userEvent } from '../events/payloads.js';
import { tenantEmailConfiguration, sendTemplatedEmail } from '../email/send-templated-email.js';
import { isObject, type JsonObject } from '../model/json.js';
import { generate } from '../model/secure-generator.js';
import type { Application } from '../model/application.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { VerificationGrant, VerificationKind, VerificationOptions, VerificationStrategy } from '../store/verification-ids.js';

/** What a started verification hands back (FusionAuth's `verificationId` and `oneTimeCode`). */
export interface StartedVerification {
  verificationId: string;
  oneTimeCode: string;
}

// FusionAuth's default lifetime of a verification id: 24 hours
// (https://fusionauth.io/docs/apis/users/resend-verification).
const DEFAULT_TTL_SECONDS = 86_400;

/**
 * Whether creating a user in this tenant starts email verification: the tenant's
 * `emailConfiguration.verifyEmail`, unless the request says `skipVerification`
 * (https://fusionauth.io/docs/apis/users).
 */
export function verifiesOnCreate(tenant: Tenant, skipVerification: unknown): boolean {
  return tenantEmailConfiguration(tenant).verifyEmail && skipVerification !== true;
}

/** Whether an email change starts verification again: `emailConfiguration.verifyEmailWhenChanged`. */
export function verifiesOnChange(tenant: Tenant): boolean {
  return tenantEmailConfiguration(tenant).verifyEmailWhenChanged;
}

/**
 * A new email verification id and one-time code for the user's current address, replacing any live one; with
 * `send`, the verification email too (the application's template, else the tenant's, else Standin's default).
 * The id lives for the tenant's `externalIdentifierConfiguration.emailVerificationIdTimeToLiveInSeconds` on
 * Standin's clock.
 */
export function startEmailVerification(
  standin: Standin,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
  send: boolean,
  options: VerificationOptions = {},
): StartedVerification {
  return startVerification(standin, 'email', user, tenant, application, send, options);
}

/** The same for a registration (`application.verifyRegistration`), with the application's template. */
export function startRegistrationVerification(
  standin: Standin,
  user: User,
  tenant: Tenant,
  application: Application,
  send: boolean,
): StartedVerification {
  return startVerification(standin, 'registration', user, tenant, application, send);
}

function startVerification(
  standin: Standin,
  kind: VerificationKind,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
  send: boolean,
  options: VerificationOptions = {},
): StartedVerification {
  const identifiers: JsonObject = isObject(tenant.externalIdentifierConfiguration) ? tenant.externalIdentifierConfiguration : {};
  const prefix = kind === 'email' ? 'emailVerification' : 'registrationVerification';
  const verificationId = generate(identifiers[`${prefix}IdGenerator`], { length: 32, type: 'randomBytes' });
  const oneTimeCode = generate(identifiers[`${prefix}OneTimeCodeGenerator`], { length: 6, type: 'randomAlphaNumeric' });
  const ttl = identifiers[`${prefix}IdTimeToLiveInSeconds`];
  const seconds = typeof ttl === 'number' && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS;
  const now = standin.config.now();
  const stores = standin.stores;
  stores.verificationIds.purgeExpired(now);
  stores.verificationIds.issue(
    kind,
    verificationId,
    oneTimeCode,
    user.id,
    kind === 'registration' ? application?.id : undefined,
    user.email ?? '',
    now + seconds * 1000,
    options,
  );
  if (send) {
    const strategy = options.strategy ?? strategyOf(tenant, kind === 'registration' ? application : undefined);
    sendVerificationEmail(standin, kind, { user, tenant, application, verificationId, oneTimeCode, strategy });
  }
  return { verificationId, oneTimeCode };
}

/** The verification email of a started verification, through the template of its kind (docs/email-verification.md). */
function sendVerificationEmail(
  standin: Standin,
  kind: VerificationKind,
  started: {
    user: User;
    tenant: Tenant;
    application: Application | undefined;
    verificationId: string;
    oneTimeCode: string | undefined;
    strategy: VerificationStrategy;
  },
): void {
  const { user, tenant, application, verificationId, oneTimeCode } = started;
  sendTemplatedEmail(standin, {
    tenant,
    ...(application ? { application } : {}),
    user,
    templateKind: kind === 'email' ? 'emailVerification' : 'registrationVerification',
    variables: {
      verificationId,
      // FusionAuth's default templates show the code instead of the link under the form-field strategy.
      ...(started.strategy === 'FormField' && oneTimeCode !== undefined ? { verificationOneTimeCode: oneTimeCode } : {}),
      ...(kind === 'registration' ? { registration: standin.stores.registrations.get(user.id, application!.id) ?? {} } : {}),
    },
  });
}

/**
 * Emails a live email verification again, given its id (the Identity Verify API's Send): the template of the
 * application the start named, else the tenant's. False when the id is unknown, used or expired.
 */
export function resendEmailVerification(standin: Standin, verificationId: string, grant: VerificationGrant): boolean {
  const { stores } = standin;
  const user = stores.users.get(grant.userId);
  const tenant = user ? stores.tenants.get(user.tenantId) : undefined;
  if (!user || !tenant || (user.email ?? '') !== grant.email) return false;
  const strategy = grantStrategy(standin, 'email', grant, tenant);
  // A row from before migration 028 has no sealed code: a link can still be sent, a code cannot.
  const oneTimeCode = stores.verificationIds.oneTimeCode('email', verificationId, standin.config.now());
  if (oneTimeCode === undefined && strategy === 'FormField') return false;
  const application = grant.templateApplicationId === undefined ? undefined : stores.applications.get(grant.templateApplicationId);
  sendVerificationEmail(standin, 'email', { user, tenant, application, verificationId, oneTimeCode, strategy });
  return true;
}

/** The strategy a live verification is completed by: the one its start chose, else the tenant's (or application's). */
export function grantStrategy(standin: Standin, kind: VerificationKind, grant: VerificationGrant, tenant: Tenant): VerificationStrategy {
  if (grant.strategy !== undefined) return grant.strategy;
  const application = kind === 'registration' && grant.applicationId !== undefined ? standin.stores.applications.get(grant.applicationId) : undefined;
  return strategyOf(tenant, application);
}

/** `ClickableLink` (default) or `FormField`: the application's setting for registrations, else the tenant's. */
export function strategyOf(tenant: Tenant, application: Application | undefined): 'ClickableLink' | 'FormField' {
  if (application && application.verificationStrategy === 'FormField') return 'FormField';
  if (application) return 'ClickableLink';
  return tenantEmailConfiguration(tenant).verificationStrategy === 'FormField' ? 'FormField' : 'ClickableLink';
}

/** Finds a live verification by id (and code, when given), or by user and code. */
export function findVerification(
  standin: Standin,
  kind: VerificationKind,
  by: { verificationId?: string | undefined; oneTimeCode?: string | undefined; userId?: string | undefined },
): VerificationGrant | undefined {
  const now = standin.config.now();
  const { verificationIds } = standin.stores;
  if (by.verificationId !== undefined) return verificationIds.find(kind, by.verificationId, now, by.oneTimeCode);
  if (by.userId !== undefined && by.oneTimeCode !== undefined) return verificationIds.findByCode(kind, by.userId.toLowerCase(), by.oneTimeCode, now);
  return undefined;
}

/**
 * Completes a verification in one write: the id is deleted (one use), and the user (or registration) is marked
 * verified with `verifiedInstant`. An id issued for an address the user no longer has verifies nothing.
 * False when there was nothing to verify.
 */
export function completeVerification(standin: Standin, kind: VerificationKind, grant: VerificationGrant): boolean {
  const { stores } = standin;
  const now = standin.config.now();
  return stores.db
    .transaction(() => {
      if (!stores.verificationIds.remove(kind, grant.userId, grant.applicationId)) return false;
      const user = stores.users.get(grant.userId);
      if (!user) return false;
      if (kind === 'email') {
        if ((user.email ?? '') !== grant.email) return false;
        markEmailVerified(standin, user, now);
        return true;
      }
      const registration = stores.registrations.get(user.id, grant.applicationId!);
      if (!registration) return false;
      const verified = { ...registration, verified: true, verifiedInstant: now, lastUpdateInstant: now };
      stores.registrations.update(verified);
      // Queued now, sent once this transaction has returned (docs/webhooks.md).
      emitEvent(standin, registrationEvent(stores, 'user.registration.verified', user, verified));
      return true;
    })
    .immediate();
}

/** Marks the user's email verified now (the Verify Email API's administrative form as well). */
export function markEmailVerified(standin: Standin, user: User, now: number): void {
  standin.stores.verificationIds.remove('email', user.id, undefined);
  const verified = { ...user, verified: true, verifiedInstant: now, lastUpdateInstant: now };
  standin.stores.users.update(verified);
  emitEvent(standin, userEvent(standin.stores, 'user.email.verified', verified));
}

/**
 * The `user` member of a create request as it is stored: unverified when the tenant verifies email on create
 * (and the request does not skip it), else verified as before.
 */
export function newUserInput(tenant: Tenant, body: unknown, given: unknown): unknown {
  const userInput = withoutIdentities(given);
  if (!isObject(userInput) || !isObject(body) || !verifiesOnCreate(tenant, body.skipVerification) || typeof userInput.email !== 'string')
    return userInput;
  const { verifiedInstant: _ignored, ...rest } = userInput;
  return { ...rest, verified: false };
}

/**
 * The `user` member of an update as it is stored: `verified` is not the caller's to set (the Verify Email API
 * does that); it stays as it was, and turns false when the email changes under `verifyEmailWhenChanged`.
 */
export function updatedUserInput(tenant: Tenant, existing: User, given: unknown): unknown {
  const next = withoutIdentities(given);
  if (!isObject(next)) return next;
  const { verified: _verified, verifiedInstant: _instant, ...rest } = next;
  const changed = typeof rest.email === 'string' && rest.email.toLowerCase() !== (existing.email ?? '').toLowerCase();
  if (changed && verifiesOnChange(tenant)) return { ...rest, verified: false };
  return { ...rest, verified: existing.verified, ...(existing.verifiedInstant !== undefined ? { verifiedInstant: existing.verifiedInstant } : {}) };
}

/** `identities` is derived from the user when it is answered (model/user-identities.ts), never stored from a request. */
function withoutIdentities(input: unknown): unknown {
  if (!isObject(input) || !('identities' in input)) return input;
  const { identities: _derived, ...rest } = input;
  return rest;
}

/**
 * After a user is created or their email changed: when the stored user is unverified and has no live id yet,
 * starts the verification and emails it (with the request's `applicationId` for the application's template).
 * Returns the create response's `emailVerificationId` / `emailVerificationOneTimeCode`.
 */
export function afterUserWritten(standin: Standin, tenant: Tenant, user: User, applicationId: unknown): Record<string, string> {
  if (user.verified || typeof user.email !== 'string') return {};
  const application = typeof applicationId === 'string' ? standin.stores.applications.get(applicationId.toLowerCase()) : undefined;
  const started = startEmailVerification(standin, user, tenant, application, true);
  return { emailVerificationId: started.verificationId, emailVerificationOneTimeCode: started.oneTimeCode };
}

/**
 * How a login treats the user's email (https://fusionauth.io/docs/apis/login, 212): `verified` (or the tenant
 * does not verify), `unverified` (tokens still issued, `unverified.behavior` Allow), or `gated` (no token until
 * the email is verified, `unverified.behavior` Gated).
 */
export function emailGate(tenant: Tenant, user: User): 'verified' | 'unverified' | 'gated' {
  const config = tenantEmailConfiguration(tenant);
  if (user.verified || typeof user.email !== 'string') return 'verified';
  if (!config.verifyEmail && !config.verifyEmailWhenChanged) return 'verified';
  return config.unverified.behavior === 'Gated' ? 'gated' : 'unverified';
}

/**
 * The `registration` member of a create request as it is stored: unverified when the application has
 * `verifyRegistration` on and the request does not say `skipRegistrationVerification`
 * (https://fusionauth.io/docs/apis/registrations).
 */
export function newRegistrationInput(standin: Standin, body: unknown, registrationInput: unknown): unknown {
  if (!isObject(body) || !isObject(registrationInput) || body.skipRegistrationVerification === true) return registrationInput;
  const applicationId = registrationInput.applicationId;
  const application = typeof applicationId === 'string' ? standin.stores.applications.get(applicationId.toLowerCase()) : undefined;
  if (application?.verifyRegistration !== true) return registrationInput;
  const { verifiedInstant: _ignored, ...rest } = registrationInput;
  return { ...rest, verified: false };
}

/** After a registration is created unverified: starts and emails its verification; the response's ids. */
export function afterRegistrationWritten(standin: Standin, user: User, registration: JsonObject): Record<string, string> {
  if (registration.verified !== false || typeof user.email !== 'string' || typeof registration.applicationId !== 'string') return {};
  const application = standin.stores.applications.get(registration.applicationId);
  const tenant = standin.stores.tenants.get(user.tenantId);
  if (!application || !tenant) return {};
  const started = startRegistrationVerification(standin, user, tenant, application, true);
  return { registrationVerificationId: started.verificationId, registrationVerificationOneTimeCode: started.oneTimeCode };
}

/**
 * How a login to `application` treats the user's registration to it (https://fusionauth.io/docs/apis/login, 213):
 * `verified` (or the application does not verify registrations), `unverified` (tokens still issued; the
 * application's `unverified.behavior` Allow), or `gated` (no token until verified, `unverified.behavior` Gated).
 */
export function registrationGate(application: Application | undefined, registration: JsonObject | undefined): 'verified' | 'unverified' | 'gated' {
  if (!application || !registration || registration.verified !== false || !application.verifyRegistration) return 'verified';
  const unverified = isObject(application.unverified) ? application.unverified : {};
  return unverified.behavior === 'Gated' ? 'gated' : 'unverified';
}

/** Which verification, if any, stops this user's login to `application`: a Gated email first, then a Gated registration. */
export function gateOf(standin: Standin, user: User, tenant: Tenant, application: Application): VerificationKind | undefined {
  if (emailGate(tenant, user) === 'gated') return 'email';
  return registrationGate(application, standin.stores.registrations.get(user.id, application.id)) === 'gated' ? 'registration' : undefined;
}

/**
 * What a Login API answer (`/api/login`, `/api/passwordless/login`) owes the user's verification
 * (https://fusionauth.io/docs/apis/login): 212 for an unverified email, else 213 for an unverified registration to
 * the application, else nothing; `gated` when that verification withholds the tokens.
 */
export function verificationAnswer(
  standin: Standin,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
): { status?: 212 | 213; gated: boolean } {
  const email = emailGate(tenant, user);
  if (email !== 'verified') return { status: 212, gated: email === 'gated' };
  const registration = registrationGate(application, application ? standin.stores.registrations.get(user.id, application.id) : undefined);
  if (registration !== 'verified') return { status: 213, gated: registration === 'gated' };
  return { gated: false };
}
