import { FieldErrors } from '../errors.js';
import { isUuid, shownValue, type JsonObject } from './json.js';
import {
  applicationConfigurations,
  commonProviderFields,
  fieldReaders,
  type LinkingStrategy,
  type ProviderFieldContext,
} from './identity-provider-fields.js';

/** FusionAuth's name for the External JWT identity provider type. */
export const EXTERNAL_JWT = 'ExternalJWT';

/**
 * The authentication type of a login by the JWT Reconcile API, in tokens and events (FusionAuth's `authenticationType`
 * values, https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens): a JWT from another identity provider.
 */
export const EXTERNAL_JWT_AUTHENTICATION_TYPE = 'FEDERATED_JWT';

/**
 * The user and registration fields a claim may be mapped to (https://fusionauth.io/docs/apis/identity-providers/external-jwt,
 * `claimMap`): `UserData` and `RegistrationData` store the claim in `user.data` or `registration.data` under its own name.
 */
export const CLAIM_MAP_TARGETS = [
  'birthDate',
  'firstName',
  'fullName',
  'imageUrl',
  'lastName',
  'middleName',
  'mobilePhone',
  'RegistrationData',
  'timezone',
  'UserData',
] as const;
export type ClaimMapTarget = (typeof CLAIM_MAP_TARGETS)[number];

export interface ExternalJwtOauth2 extends JsonObject {
  authorization_endpoint?: string;
  token_endpoint?: string;
  emailClaim: string;
  emailVerifiedClaim: string;
  uniqueIdClaim: string;
  usernameClaim: string;
}

export interface ExternalJwtApplicationConfiguration extends JsonObject {
  enabled: boolean;
  createRegistration: boolean;
  data?: JsonObject;
}

/** FusionAuth's External JWT identity provider (https://fusionauth.io/docs/apis/identity-providers/external-jwt). */
export interface ExternalJwtIdentityProvider extends JsonObject {
  id: string;
  type: typeof EXTERNAL_JWT;
  name: string;
  enabled: boolean;
  debug: boolean;
  linkingStrategy: LinkingStrategy;
  lambdaConfiguration: { reconcileId?: string };
  claimMap: Record<string, ClaimMapTarget>;
  headerKeyParameter: string;
  /** The first of `verificationKeyIds`, as FusionAuth 1.69 keeps it for older clients. */
  defaultKeyId: string;
  verificationKeyIds: string[];
  uniqueIdentityClaim?: string;
  oauth2: ExternalJwtOauth2;
  domains: string[];
  applicationConfiguration: Record<string, ExternalJwtApplicationConfiguration>;
  tenantConfiguration: JsonObject;
  data: JsonObject;
  tenantId?: string;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface ExternalJwtContext extends ProviderFieldContext {
  id: string;
  now: number;
  existing?: ExternalJwtIdentityProvider;
  /** Whether the key `id` is stored and can verify a signature: a public key, a certificate or an HMAC secret. */
  keyVerifies: (id: string) => boolean;
}

/**
 * Builds an External JWT identity provider from the `identityProvider` member of a request, or throws FusionAuth's
 * field errors. Defaults as FusionAuth's API documents them: disabled, `LinkByEmail`, the OpenID claim names, and
 * per application disabled with `createRegistration` on. A key to verify with is required (`verificationKeyIds`, or the
 * older `defaultKeyId`), and so is `headerKeyParameter`.
 */
export function buildExternalJwtIdentityProvider(input: JsonObject, context: ExternalJwtContext): ExternalJwtIdentityProvider {
  const errors = new FieldErrors();
  const read = fieldReaders(errors, true);
  const { text, url, object } = read;

  const name = text('identityProvider.name', input.name, true);
  const headerKeyParameter = text('identityProvider.headerKeyParameter', input.headerKeyParameter, true);
  const uniqueIdentityClaim = text('identityProvider.uniqueIdentityClaim', input.uniqueIdentityClaim, false);

  const verificationKeyIds = keyIds(input, context, errors);

  const claimMap: Record<string, ClaimMapTarget> = {};
  for (const [claim, target] of Object.entries(object('identityProvider.claimMap', input.claimMap))) {
    if (typeof target !== 'string' || !(CLAIM_MAP_TARGETS as readonly string[]).includes(target)) {
      errors.add(
        `identityProvider.claimMap[${claim}]`,
        'invalid',
        `The [identityProvider.claimMap[${claim}]] property [${shownValue(target)}] must be one of ${CLAIM_MAP_TARGETS.join(', ')}.`,
      );
      continue;
    }
    claimMap[claim] = target as ClaimMapTarget;
  }

  const oauth2Input = object('identityProvider.oauth2', input.oauth2);
  const authorizationEndpoint = url('identityProvider.oauth2.authorization_endpoint', oauth2Input.authorization_endpoint);
  const tokenEndpoint = url('identityProvider.oauth2.token_endpoint', oauth2Input.token_endpoint);
  // Defaults: https://fusionauth.io/docs/apis/identity-providers/external-jwt.
  const claim = (field: string, fallback: string) => text(`identityProvider.oauth2.${field}`, oauth2Input[field], false) ?? fallback;
  const oauth2: ExternalJwtOauth2 = {
    ...(authorizationEndpoint === undefined ? {} : { authorization_endpoint: authorizationEndpoint }),
    ...(tokenEndpoint === undefined ? {} : { token_endpoint: tokenEndpoint }),
    emailClaim: claim('emailClaim', 'email'),
    emailVerifiedClaim: claim('emailVerifiedClaim', 'email_verified'),
    uniqueIdClaim: claim('uniqueIdClaim', 'sub'),
    usernameClaim: claim('usernameClaim', 'preferred_username'),
  };

  const common = commonProviderFields(input, context, read, errors, 'ExternalJWTReconcile');

  const applicationConfiguration = applicationConfigurations(input, context, read, errors, (field, config): ExternalJwtApplicationConfiguration => {
    const data = config.data === undefined ? undefined : object(`${field}.data`, config.data);
    return {
      enabled: read.flag(`${field}.enabled`, config.enabled, false),
      createRegistration: read.flag(`${field}.createRegistration`, config.createRegistration, true),
      ...(data === undefined ? {} : { data }),
    };
  });
  errors.throwIfAny();

  return {
    id: context.id,
    type: EXTERNAL_JWT,
    name: name!,
    enabled: common.enabled,
    debug: common.debug,
    linkingStrategy: common.linkingStrategy,
    lambdaConfiguration: common.lambdaConfiguration,
    claimMap,
    headerKeyParameter: headerKeyParameter!,
    defaultKeyId: verificationKeyIds[0]!,
    verificationKeyIds,
    ...(uniqueIdentityClaim === undefined ? {} : { uniqueIdentityClaim }),
    oauth2,
    domains: [...new Set(common.domains)],
    applicationConfiguration,
    tenantConfiguration: common.tenantConfiguration,
    data: common.data,
    ...(common.tenantId === undefined ? {} : { tenantId: common.tenantId }),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/**
 * The keys the provider verifies with (FusionAuth 1.69 `verificationKeyIds`; before it, `defaultKeyId` alone): each a
 * stored key that can verify. With a list given, `defaultKeyId` is its first entry whatever the request says (so a PATCH
 * or PUT that changes the list is not undone by the `defaultKeyId` sent back); without one, `defaultKeyId` is the list.
 */
function keyIds(input: JsonObject, context: ExternalJwtContext, errors: FieldErrors): string[] {
  const given = input.verificationKeyIds;
  if (given !== undefined && given !== null && !Array.isArray(given)) {
    errors.add('identityProvider.verificationKeyIds', 'invalid', 'The [identityProvider.verificationKeyIds] property must be a list of key Ids.');
    return [];
  }
  const fallback = input.defaultKeyId;
  const candidates: [string, unknown][] =
    Array.isArray(given) && given.length > 0
      ? given.map((id, index): [string, unknown] => [`identityProvider.verificationKeyIds[${index}]`, id])
      : fallback === undefined || fallback === null
        ? []
        : [['identityProvider.defaultKeyId', fallback]];
  if (candidates.length === 0) {
    errors.add(
      'identityProvider.verificationKeyIds',
      'blank',
      'You must specify at least one key in the [identityProvider.verificationKeyIds] property (or the [identityProvider.defaultKeyId] property).',
    );
  }
  const ids: string[] = [];
  for (const [field, id] of candidates) {
    if (!isUuid(id) || !context.keyVerifies(id.toLowerCase())) {
      errors.add(field, 'invalid', `The [${field}] property [${shownValue(id)}] is not the Id of a key that can verify a JWT signature.`);
      continue;
    }
    if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
  }
  return ids;
}
