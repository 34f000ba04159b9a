import { ApiError, FieldErrors } from '../errors.js';
import type { ExternalJwtIdentityProvider } from './external-jwt-identity-provider.js';
import {
  applicationConfigurations,
  commonProviderFields,
  fieldReaders,
  LINKING_STRATEGIES,
  type LinkingStrategy,
  type ProviderFieldContext,
} from './identity-provider-fields.js';
import { isObject, type JsonObject } from './json.js';

export { LINKING_STRATEGIES, type LinkingStrategy };

/** FusionAuth's identity provider types, as its API spells them (`IdentityProviderType`). */
export const IDENTITY_PROVIDER_TYPES = [
  'Apple',
  'EpicGames',
  'ExternalJWT',
  'Facebook',
  'Google',
  'HYPR',
  'LinkedIn',
  'Nintendo',
  'OpenIDConnect',
  'SAMLv2',
  'SAMLv2IdPInitiated',
  'SonyPSN',
  'Steam',
  'Twitch',
  'Twitter',
  'Xbox',
] as const;

/** The type Standin's hosted login page offers (docs/identity-providers.md). */
export const OPENID_CONNECT = 'OpenIDConnect';

/** The types Standin models: OpenID Connect, and External JWT for the JWT Reconcile API (docs/identity-providers.md). */
export const MODELLED_IDENTITY_PROVIDER_TYPES: readonly string[] = [OPENID_CONNECT, 'ExternalJWT'];

/** An identity provider of a type Standin models, as stored and answered. */
export type IdentityProvider = OpenIdConnectIdentityProvider | ExternalJwtIdentityProvider;

/** Whether `provider` is an OpenID Connect one: the type the login page offers and `/oauth2/callback` completes. */
export function isOpenIdConnect(provider: IdentityProvider | undefined): provider is OpenIdConnectIdentityProvider {
  return provider?.type === OPENID_CONNECT;
}

/** The `[NotModelled]` refusal of an identity provider type Standin does not model. */
export function unmodelledTypeError(type: string): ApiError {
  return ApiError.general(
    '[NotModelled]',
    `Standin models the OpenIDConnect and ExternalJWT identity provider types only, not [${type}]; see docs/identity-providers.md.`,
  );
}

/**
 * The authentication type of a login through an OpenID Connect provider, in tokens and events (FusionAuth's
 * `authenticationType` values, https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens).
 */
export const OPENID_CONNECT_AUTHENTICATION_TYPE = 'OPENID_CONNECT';

/** The strategies Standin's login follows; the others are refused with `[NotModelled]` (docs/identity-providers.md). */
export const MODELLED_LINKING_STRATEGIES: ReadonlySet<LinkingStrategy> = new Set([
  'Disabled',
  'LinkByEmail',
  'LinkByEmailForExistingUser',
  'LinkByUsername',
  'LinkByUsernameForExistingUser',
]);

const CLIENT_AUTHENTICATION_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type ClientAuthenticationMethod = (typeof CLIENT_AUTHENTICATION_METHODS)[number];

export interface OpenIdConnectOauth2 extends JsonObject {
  client_id: string;
  client_secret?: string;
  clientAuthenticationMethod: ClientAuthenticationMethod;
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  scope?: string;
  emailClaim: string;
  emailVerifiedClaim: string;
  uniqueIdClaim: string;
  usernameClaim: string;
}

export interface IdentityProviderApplicationConfiguration extends JsonObject {
  enabled: boolean;
  createRegistration: boolean;
  buttonText?: string;
  buttonImageURL?: string;
  /** Overrides of `oauth2.client_id`, `client_secret` and `scope` for this application. */
  oauth2?: Record<string, string>;
}

/** FusionAuth's OpenID Connect identity provider (https://fusionauth.io/docs/apis/identity-providers/openid-connect). */
export interface OpenIdConnectIdentityProvider extends JsonObject {
  id: string;
  type: typeof OPENID_CONNECT;
  name: string;
  enabled: boolean;
  buttonText: string;
  buttonImageURL?: string;
  debug: boolean;
  linkingStrategy: LinkingStrategy;
  lambdaConfiguration: { reconcileId?: string };
  oauth2: OpenIdConnectOauth2;
  postRequest: boolean;
  domains: string[];
  applicationConfiguration: Record<string, IdentityProviderApplicationConfiguration>;
  tenantConfiguration: JsonObject;
  data: JsonObject;
  tenantId?: string;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface IdentityProviderContext extends ProviderFieldContext {
  id: string;
  now: number;
  existing?: OpenIdConnectIdentityProvider;
}

/**
 * Refuses, before anything else, a type other than OpenID Connect and External JWT: a Google or SAML provider stored
 * and never used on the login page would be a pretence (docs/identity-providers.md). An update keeps the type it was
 * created with.
 */
export function refuseUnmodelledType(input: JsonObject, existing?: IdentityProvider): void {
  const type: unknown = input.type ?? existing?.type;
  if (type === undefined || type === null) {
    new FieldErrors().add('identityProvider.type', 'blank', 'You must specify the [identityProvider.type] property.').throwIfAny();
  }
  if (typeof type !== 'string' || !(IDENTITY_PROVIDER_TYPES as readonly string[]).includes(type)) {
    const message = `The [identityProvider.type] property must be one of ${IDENTITY_PROVIDER_TYPES.join(', ')}.`;
    new FieldErrors().add('identityProvider.type', 'invalid', message).throwIfAny();
  }
  if (!MODELLED_IDENTITY_PROVIDER_TYPES.includes(type as string)) throw unmodelledTypeError(type as string);
  if (existing !== undefined && input.type !== undefined && input.type !== existing.type) {
    new FieldErrors().add('identityProvider.type', 'invalid', 'The [identityProvider.type] property cannot be changed.').throwIfAny();
  }
}

/** Builds an OpenID Connect identity provider from the `identityProvider` member of a request, or throws FusionAuth's field errors. */
export function buildIdentityProvider(input: JsonObject, context: IdentityProviderContext): OpenIdConnectIdentityProvider {
  refuseUnmodelledType(input, context.existing);
  const errors = new FieldErrors();
  const read = fieldReaders(errors, false);
  const { text, url, flag, object } = read;

  const name = text('identityProvider.name', input.name, true);
  const buttonText = text('identityProvider.buttonText', input.buttonText, true);
  const buttonImageURL = url('identityProvider.buttonImageURL', input.buttonImageURL);

  const oauth2Input = object('identityProvider.oauth2', input.oauth2);
  const clientId = text('identityProvider.oauth2.client_id', oauth2Input.client_id, true);
  const method = oauth2Input.clientAuthenticationMethod ?? 'client_secret_basic';
  if (!(CLIENT_AUTHENTICATION_METHODS as readonly unknown[]).includes(method)) {
    errors.add(
      'identityProvider.oauth2.clientAuthenticationMethod',
      'invalid',
      `The [identityProvider.oauth2.clientAuthenticationMethod] property must be one of ${CLIENT_AUTHENTICATION_METHODS.join(', ')}.`,
    );
  }
  // Required for the two methods that send it (https://fusionauth.io/docs/apis/identity-providers/openid-connect).
  const clientSecret = text('identityProvider.oauth2.client_secret', oauth2Input.client_secret, method !== 'none');
  const issuer = url('identityProvider.oauth2.issuer', oauth2Input.issuer);
  const authorizationEndpoint = url('identityProvider.oauth2.authorization_endpoint', oauth2Input.authorization_endpoint);
  const tokenEndpoint = url('identityProvider.oauth2.token_endpoint', oauth2Input.token_endpoint);
  const userinfoEndpoint = url('identityProvider.oauth2.userinfo_endpoint', oauth2Input.userinfo_endpoint);
  if (issuer === undefined && authorizationEndpoint === undefined) {
    errors.add(
      'identityProvider.oauth2.authorization_endpoint',
      'blank',
      'You must specify the [identityProvider.oauth2.authorization_endpoint] property, or the [identityProvider.oauth2.issuer] to discover it from.',
    );
  }
  if (issuer === undefined && tokenEndpoint === undefined) {
    errors.add(
      'identityProvider.oauth2.token_endpoint',
      'blank',
      'You must specify the [identityProvider.oauth2.token_endpoint] property, or the [identityProvider.oauth2.issuer] to discover it from.',
    );
  }
  const scope = text('identityProvider.oauth2.scope', oauth2Input.scope, false);
  // Defaults: https://fusionauth.io/docs/apis/identity-providers/openid-connect.
  const claim = (field: string, fallback: string) => text(`identityProvider.oauth2.${field}`, oauth2Input[field], false) ?? fallback;
  const oauth2: OpenIdConnectOauth2 = {
    client_id: clientId ?? '',
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
    clientAuthenticationMethod: method as ClientAuthenticationMethod,
    ...(issuer === undefined ? {} : { issuer }),
    ...(authorizationEndpoint === undefined ? {} : { authorization_endpoint: authorizationEndpoint }),
    ...(tokenEndpoint === undefined ? {} : { token_endpoint: tokenEndpoint }),
    ...(userinfoEndpoint === undefined ? {} : { userinfo_endpoint: userinfoEndpoint }),
    ...(scope === undefined ? {} : { scope }),
    emailClaim: claim('emailClaim', 'email'),
    emailVerifiedClaim: claim('emailVerifiedClaim', 'email_verified'),
    uniqueIdClaim: claim('uniqueIdClaim', 'sub'),
    usernameClaim: claim('usernameClaim', 'preferred_username'),
  };

  // FusionAuth's defaults for OpenID Connect (https://fusionauth.io/docs/apis/identity-providers/openid-connect); its
  // reconcile lambda is an OpenIDReconcile one.
  const common = commonProviderFields(input, context, read, errors, 'OpenIDReconcile');

  const applicationConfiguration = applicationConfigurations(
    input,
    context,
    read,
    errors,
    (field, config): IdentityProviderApplicationConfiguration => {
      const overrides = object(`${field}.oauth2`, config.oauth2);
      const override = (name: string) => text(`${field}.oauth2.${name}`, overrides[name], false);
      const oauth2Overrides = { client_id: override('client_id'), client_secret: override('client_secret'), scope: override('scope') };
      const buttonOverride = text(`${field}.buttonText`, config.buttonText, false);
      const imageOverride = url(`${field}.buttonImageURL`, config.buttonImageURL);
      return {
        // Defaults: enabled false, createRegistration true (https://fusionauth.io/docs/apis/identity-providers/openid-connect).
        enabled: flag(`${field}.enabled`, config.enabled, false),
        createRegistration: flag(`${field}.createRegistration`, config.createRegistration, true),
        ...(buttonOverride === undefined ? {} : { buttonText: buttonOverride }),
        ...(imageOverride === undefined ? {} : { buttonImageURL: imageOverride }),
        ...(Object.values(oauth2Overrides).some((v) => v !== undefined) ? { oauth2: dropUndefined(oauth2Overrides) } : {}),
      };
    },
  );

  const postRequest = flag('identityProvider.postRequest', input.postRequest, false);
  errors.throwIfAny();

  return {
    id: context.id,
    type: OPENID_CONNECT,
    name: name!,
    enabled: common.enabled,
    buttonText: buttonText!,
    ...(buttonImageURL === undefined ? {} : { buttonImageURL }),
    debug: common.debug,
    linkingStrategy: common.linkingStrategy,
    lambdaConfiguration: common.lambdaConfiguration,
    oauth2,
    postRequest,
    domains: common.domains,
    applicationConfiguration,
    tenantConfiguration: common.tenantConfiguration,
    data: common.data,
    ...(common.tenantId === undefined ? {} : { tenantId: common.tenantId }),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/**
 * What an identity provider asks for that Standin's login does not do, each as the path that asks for it: stored, the
 * provider would log users in differently from FusionAuth. `lambdaExists` says whether its reconcile lambda is stored. Outside a kickstart these are refused with `[NotModelled]`;
 * a kickstart's are stored and listed in the start banner (docs/identity-providers.md, "Not modelled").
 */
export function unmodelledIdentityProviderSettings(provider: JsonObject, lambdaExists: (id: string) => boolean = () => true): string[] {
  const found: string[] = [];
  // An External JWT provider's domains are followed by the JWT Reconcile API (manage/external-jwt-reconcile.ts), and it
  // has no login page, no POST binding and no endpoints to discover.
  const openIdConnect = provider.type !== 'ExternalJWT';
  if (openIdConnect && Array.isArray(provider.domains) && provider.domains.length > 0) found.push('identityProvider.domains');
  const lambdas = isObject(provider.lambdaConfiguration) ? provider.lambdaConfiguration : {};
  // A kickstart may name a reconcile lambda Standin does not have (FusionAuth's built-in ones): nothing runs.
  if (typeof lambdas.reconcileId === 'string' && lambdas.reconcileId !== '' && !lambdaExists(lambdas.reconcileId)) {
    found.push('identityProvider.lambdaConfiguration.reconcileId (no such lambda)');
  }
  const strategy = provider.linkingStrategy;
  if (typeof strategy === 'string' && !MODELLED_LINKING_STRATEGIES.has(strategy as LinkingStrategy)) {
    found.push(`identityProvider.linkingStrategy=${strategy}`);
  }
  if (openIdConnect && provider.postRequest === true) found.push('identityProvider.postRequest');
  const oauth2 = isObject(provider.oauth2) ? provider.oauth2 : {};
  // Standin's login resolves the endpoints by discovery; endpoints given by hand are stored only.
  if (openIdConnect && (typeof oauth2.issuer !== 'string' || oauth2.issuer === ''))
    found.push('identityProvider.oauth2.issuer (endpoints without discovery)');
  const tenants = isObject(provider.tenantConfiguration) ? provider.tenantConfiguration : {};
  for (const [tenantId, config] of Object.entries(tenants)) {
    if (isObject(config) && isObject(config.limitUserLinkCount) && config.limitUserLinkCount.enabled === true) {
      found.push(`identityProvider.tenantConfiguration[${tenantId}].limitUserLinkCount`);
    }
  }
  return found;
}

/** The provider as one application sees it: its overrides of the button and of the client (FusionAuth's "Overrides"). */
export function forApplication(provider: OpenIdConnectIdentityProvider, applicationId: string) {
  const config = provider.applicationConfiguration[applicationId];
  return {
    buttonText: config?.buttonText ?? provider.buttonText,
    buttonImageURL: config?.buttonImageURL ?? provider.buttonImageURL,
    createRegistration: config?.createRegistration ?? true,
    oauth2: { ...provider.oauth2, ...(config?.oauth2 ?? {}) },
  };
}

/**
 * Whether the provider may log users in to `applicationId`: enabled, enabled for that application, and global or of
 * the application's tenant. For an OpenID Connect provider, whether the application's login page offers it.
 */
export function isOfferedTo(provider: IdentityProvider, applicationId: string, tenantId: string): boolean {
  if (!provider.enabled || provider.applicationConfiguration[applicationId]?.enabled !== true) return false;
  return provider.tenantId === undefined || provider.tenantId === tenantId;
}

function dropUndefined(value: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
