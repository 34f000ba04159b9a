import { ExternalJwtRefused, verifyExternalJwt } from '../keys/verify-external-jwt.js';
import type { Application } from '../model/application.js';
import type { ExternalJwtIdentityProvider } from '../model/external-jwt-identity-provider.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { linkedUser, LinkRefused } from './identity-provider-linking.js';
import { saveReconciled } from './identity-provider-reconcile.js';
import { updateRegistration } from './registrations.js';
import { updateUser } from './users.js';

export { ExternalJwtRefused, LinkRefused };

/**
 * The user a JWT from an External JWT identity provider logs in (https://fusionauth.io/docs/apis/jwt, "Reconcile a JWT
 * Using the External JWT Provider"): the JWT verified with one of the provider's keys on Standin's clock; its email
 * domain managed by the provider when the provider manages any; the user linked or created by the provider's linking
 * strategy (manage/identity-provider-linking.ts) and registered when `createRegistration` is on; then the claim map
 * applied (a new user is created with it, a known one updated when it differs) and the provider's ExternalJWTReconcile
 * lambda run, `reconcile(user, registration, jwt)`. Throws `ExternalJwtRefused` for a JWT that does not verify or
 * whose domain is not managed, `LinkRefused` when the strategy finds no one to log in.
 */
export async function reconciledUser(
  standin: Standin,
  provider: ExternalJwtIdentityProvider,
  tenant: Tenant,
  application: Application,
  encodedJwt: string,
  options: { noLink?: boolean; debug?: (claimNames: string[]) => void } = {},
): Promise<User> {
  const { stores } = standin;
  const claims = (await verifyExternalJwt(stores.keys, provider, encodedJwt, standin.config.now())) as JsonObject;
  if (provider.debug) options.debug?.(Object.keys(claims));
  refuseUnmanagedDomain(provider, claims);
  const mapped = mappedClaims(provider, claims);
  return linkedUser(
    standin,
    provider,
    tenant,
    application,
    { claims },
    {
      ...(options.noLink === true ? { noLink: true } : {}),
      newUserFields: mapped.user,
      ...(Object.keys(mapped.registrationData).length > 0 ? { registrationData: mapped.registrationData } : {}),
      reconcile: async (user, linkedBy) => {
        const updated = await applyClaimMap(standin, user, application, mapped, linkedBy);
        const lambdaId = provider.lambdaConfiguration.reconcileId;
        if (lambdaId === undefined) return updated;
        const registration = stores.registrations.get(updated.id, application.id);
        const after = await standin.lambdas.run(lambdaId, 'ExternalJWTReconcile', 'reconcile', [updated, registration ?? null, claims]);
        return saveReconciled(standin, { lambdaId, type: 'ExternalJWTReconcile' }, after, updated, application, linkedBy);
      },
    },
  );
}

/**
 * A provider that manages domains reconciles only the users whose email address is in one of them (FusionAuth answers
 * 401: https://fusionauth.io/docs/apis/jwt, "Reconcile a JWT"); one that manages none reconciles any.
 */
function refuseUnmanagedDomain(provider: ExternalJwtIdentityProvider, claims: JsonObject): void {
  if (provider.domains.length === 0) return;
  const email = claims[provider.oauth2.emailClaim];
  const domain = typeof email === 'string' && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : undefined;
  if (domain === undefined || !provider.domains.some((managed) => managed.trim().toLowerCase() === domain)) {
    throw new ExternalJwtRefused(
      'InvalidJWT',
      `The domain of the email address in the [${provider.oauth2.emailClaim}] claim is not managed by the identity provider.`,
    );
  }
}

interface MappedClaims {
  user: JsonObject;
  registrationData: JsonObject;
}

/** The user fields, `user.data` and `registration.data` the provider's claim map takes from the JWT's claims. */
function mappedClaims(provider: ExternalJwtIdentityProvider, claims: JsonObject): MappedClaims {
  const user: JsonObject = {};
  const userData: JsonObject = {};
  const registrationData: JsonObject = {};
  for (const [claim, target] of Object.entries(provider.claimMap)) {
    const value = claims[claim];
    if (value === undefined || value === null) continue;
    if (target === 'UserData') userData[claim] = value;
    else if (target === 'RegistrationData') registrationData[claim] = value;
    else user[target] = value;
  }
  if (Object.keys(userData).length > 0) user.data = userData;
  return { user, registrationData };
}

/** Saves on a user found (not created) now what the claim map says differs: fields, `user.data`, `registration.data`. */
async function applyClaimMap(
  standin: Standin,
  user: User,
  application: Application,
  mapped: MappedClaims,
  linkedBy: 'email' | 'username',
): Promise<User> {
  const { stores } = standin;
  let current = user;
  const patch: JsonObject = {};
  for (const [field, value] of Object.entries(mapped.user)) {
    if (field === linkedBy) continue;
    if (field === 'data' && isObject(value)) {
      const data = isObject(current.data) ? current.data : {};
      const changed = Object.entries(value).filter(([key, given]) => JSON.stringify(data[key]) !== JSON.stringify(given));
      if (changed.length > 0) patch.data = Object.fromEntries(changed);
    } else if (JSON.stringify(current[field]) !== JSON.stringify(value)) {
      patch[field] = value;
    }
  }
  if (Object.keys(patch).length > 0) current = await updateUser(standin, current, patch, 'merge');
  const registration = stores.registrations.get(current.id, application.id);
  if (registration && Object.keys(mapped.registrationData).length > 0) {
    const data = isObject(registration.data) ? registration.data : {};
    const changed = Object.entries(mapped.registrationData).filter(([key, given]) => JSON.stringify(data[key]) !== JSON.stringify(given));
    if (changed.length > 0) {
      await updateRegistration(standin, current, registration, { applicationId: application.id, data: Object.fromEntries(changed) }, 'merge');
    }
  }
  return stores.users.get(current.id) ?? current;
}
