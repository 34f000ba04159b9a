import type { Application } from '../model/application.js';
import { forApplication, isOpenIdConnect, type IdentityProvider } from '../model/identity-provider.js';
import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { IdentityProviderLinkRow } from '../store/identity-provider-links.js';
import { reconcileUser, type ProviderAnswer } from './identity-provider-reconcile.js';
import { emitLinkEvent } from './identity-provider-links.js';
import { registerUser } from './registrations.js';
import { createUser } from './users.js';

/**
 * Why a user the identity provider vouched for could not be logged in, for the error page or the API's answer:
 * `reason` is FusionAuth's name for it (a claim missing or unusable), or `NotFound` when there is no one to log in
 * (no link under `Disabled` or `noLink`, no user for a `…ForExistingUser` strategy), which the API answers 404.
 */
export class LinkRefused extends Error {
  constructor(
    readonly reason: 'MissingUniqueId' | 'MissingEmail' | 'UnverifiedEmail' | 'MissingUsername' | 'NotFound',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The Standin user a login through `provider` logs in (https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers,
 * "Linking Strategies"): the user linked to the provider's user already, else the one the linking strategy finds or
 * creates, linked now. Registered to `application` when it is not yet and the provider's `createRegistration` is on
 * (its default); then the provider's reconcile lambda, if it has one. Throws `LinkRefused` when the strategy finds no
 * one to log in.
 */
export async function linkedUser(
  standin: Standin,
  provider: IdentityProvider,
  tenant: Tenant,
  application: Application,
  /** An OpenID Connect provider's answer; an External JWT provider's verified claims. */
  answer: ProviderAnswer | { claims: JsonObject },
  options: {
    /** The Login API's `noLink`: a provider's user with no link yet is refused instead of linked by the strategy. */
    noLink?: boolean;
    /** More fields of a user created now (an External JWT provider's claim map). */
    newUserFields?: JsonObject;
    /** The `data` of a registration created now. */
    registrationData?: JsonObject;
    /** Reconciles the user after linking and registering, instead of the OpenID Connect reconcile lambda. */
    reconcile?: (user: User, linkedBy: 'email' | 'username') => Promise<User>;
  } = {},
): Promise<User> {
  const { stores } = standin;
  const { claims } = answer;
  const settings = isOpenIdConnect(provider)
    ? forApplication(provider, application.id)
    : { createRegistration: provider.applicationConfiguration[application.id]?.createRegistration ?? true, oauth2: provider.oauth2 };
  const { oauth2 } = settings;
  const now = standin.config.now();
  const uniqueId = claimText(claims[oauth2.uniqueIdClaim]);
  if (uniqueId === undefined)
    throw new LinkRefused('MissingUniqueId', `The identity provider sent no [${oauth2.uniqueIdClaim}] claim to identify you by.`);

  let user = linkedAlready(standin, provider, tenant, uniqueId);
  if (user === undefined && options.noLink === true) {
    throw new LinkRefused('NotFound', 'Your account is not linked to this identity provider, and this login asked for no new link (noLink).');
  }
  if (user === undefined) {
    const email = claimText(claims[oauth2.emailClaim]);
    const username = claimText(claims[oauth2.usernameClaim]);
    const link = (userId: string, displayName: string): IdentityProviderLinkRow => ({
      identityProviderId: provider.id,
      identityProviderUserId: uniqueId,
      tenantId: tenant.id,
      userId,
      displayName,
      insertInstant: now,
      lastLoginInstant: now,
    });
    const strategy = provider.linkingStrategy;
    if (strategy === 'LinkByEmail' || strategy === 'LinkByEmailForExistingUser') {
      if (email === undefined)
        throw new LinkRefused('MissingEmail', `The identity provider sent no email address (the [${oauth2.emailClaim}] claim) to link you by.`);
      // FusionAuth will not link on an email the provider says is unverified (https://fusionauth.io/docs/apis/identity-providers/openid-connect).
      if (claims[oauth2.emailVerifiedClaim] === false) {
        throw new LinkRefused(
          'UnverifiedEmail',
          'The identity provider says your email address is not verified, so it cannot be used to link your account.',
        );
      }
      const fields = { ...options.newUserFields, email };
      user = await findOrCreate(standin, tenant, stores.users.byEmail(tenant.id, email), fields, strategy === 'LinkByEmail', link, email);
    } else if (strategy === 'LinkByUsername' || strategy === 'LinkByUsernameForExistingUser') {
      if (username === undefined)
        throw new LinkRefused('MissingUsername', `The identity provider sent no username (the [${oauth2.usernameClaim}] claim) to link you by.`);
      user = await findOrCreate(
        standin,
        tenant,
        stores.users.byUsername(tenant.id, username),
        { ...options.newUserFields, username },
        strategy === 'LinkByUsername',
        link,
        username,
      );
    } else {
      // Disabled: links are made through the Link API only.
      throw new LinkRefused(
        'NotFound',
        'Your account is not linked to this identity provider, and this provider links accounts through the API only.',
      );
    }
  }

  if (settings.createRegistration && stores.registrations.get(user.id, application.id) === undefined) {
    const data = options.registrationData;
    await registerUser(standin, user, { applicationId: application.id, ...(data === undefined ? {} : { data }) });
  }
  const linkedBy = provider.linkingStrategy.startsWith('LinkByUsername') ? 'username' : 'email';
  if (options.reconcile) return options.reconcile(user, linkedBy);
  const reconcileId = provider.lambdaConfiguration.reconcileId;
  if (reconcileId !== undefined && 'tokens' in answer) {
    user = await reconcileUser(standin, reconcileId, user, application, answer, linkedBy);
  }
  return user;
}

/** The user already linked to the provider's user `uniqueId` in `tenant`, with the link's last login recorded. */
function linkedAlready(standin: Standin, provider: IdentityProvider, tenant: Tenant, uniqueId: string): User | undefined {
  const { stores } = standin;
  const link = stores.identityProviderLinks.find(provider.id, tenant.id, uniqueId);
  if (!link) return undefined;
  const user = stores.users.get(link.userId);
  if (user) stores.identityProviderLinks.recordLogin(link, standin.config.now());
  return user;
}

/**
 * Links the provider's user to `existing`, or to a user created now from `fields` when `mayCreate`; the user and its
 * link are written together.
 */
async function findOrCreate(
  standin: Standin,
  tenant: Tenant,
  existing: User | undefined,
  fields: JsonObject,
  mayCreate: boolean,
  link: (userId: string, displayName: string) => IdentityProviderLinkRow,
  displayName: string,
): Promise<User> {
  const { stores } = standin;
  if (existing) {
    const made = link(existing.id, displayName);
    stores.identityProviderLinks.insert(made);
    emitLinkEvent(standin, 'link', made);
    return existing;
  }
  if (!mayCreate)
    throw new LinkRefused('NotFound', `There is no account for [${displayName}] to link to, and this identity provider does not create accounts.`);
  let made: IdentityProviderLinkRow | undefined;
  const user = await createUser(standin, tenant.id, undefined, fields, {
    withoutPassword: true,
    also: (created) => {
      made = link(created.id, displayName);
      stores.identityProviderLinks.insert(made);
    },
  });
  if (made) emitLinkEvent(standin, 'link', made);
  return user;
}

/** A claim as text: a string as it is, a number (some providers' numeric `sub`) written out; anything else is absent. */
function claimText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
