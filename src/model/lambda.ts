import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/** FusionAuth's lambda types, as the OpenAPI description spells them (`LambdaType`). */
export const LAMBDA_TYPES = [
  'JWTPopulate',
  'OpenIDReconcile',
  'SAMLv2Reconcile',
  'SAMLv2Populate',
  'AppleReconcile',
  'ExternalJWTReconcile',
  'FacebookReconcile',
  'GoogleReconcile',
  'HYPRReconcile',
  'TwitterReconcile',
  'LDAPConnectorReconcile',
  'LinkedInReconcile',
  'EpicGamesReconcile',
  'NintendoReconcile',
  'SonyPSNReconcile',
  'SteamReconcile',
  'TwitchReconcile',
  'XboxReconcile',
  'ClientCredentialsJWTPopulate',
  'SCIMServerGroupRequestConverter',
  'SCIMServerGroupResponseConverter',
  'SCIMServerUserRequestConverter',
  'SCIMServerUserResponseConverter',
  'SelfServiceRegistrationValidation',
  'UserInfoPopulate',
  'LoginValidation',
  'MFARequirement',
] as const;
export type LambdaType = (typeof LAMBDA_TYPES)[number];

/** FusionAuth's lambda (https://fusionauth.io/docs/apis/lambdas). */
export interface Lambda extends JsonObject {
  id: string;
  name: string;
  type: LambdaType;
  body: string;
  debug: boolean;
  engineType: 'GraalJS' | 'Nashorn';
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface LambdaContext {
  id: string;
  now: number;
  existing?: Lambda;
}

// A lambda is a function or two; this bounds what one row and one sandbox compile can hold.
const MAX_BODY = 256 * 1024;

export function isLambdaType(value: unknown): value is LambdaType {
  return typeof value === 'string' && (LAMBDA_TYPES as readonly string[]).includes(value);
}

/**
 * Builds a lambda from the `lambda` member of a request body, or throws FusionAuth's field errors. The type is set
 * when the lambda is created and kept on update (docs/lambdas.md). `enabled` is deprecated and unused by FusionAuth;
 * Standin does not answer it.
 */
export function buildLambda(input: JsonObject, context: LambdaContext): Lambda {
  const errors = new FieldErrors();
  const { body, name, debug, engineType } = input;
  const type = context.existing?.type ?? input.type;
  if (typeof body !== 'string' || body.trim() === '') errors.add('lambda.body', 'missing', 'You must specify the [lambda.body] property.');
  else if (body.length > MAX_BODY) errors.add('lambda.body', 'tooLong', `The [lambda.body] property is longer than ${MAX_BODY} characters.`);
  if (typeof name !== 'string' || name.trim() === '') errors.add('lambda.name', 'blank', 'You must specify the [lambda.name] property.');
  if (type === undefined || type === null) errors.add('lambda.type', 'missing', 'You must specify the [lambda.type] property.');
  else if (!isLambdaType(type)) errors.add('lambda.type', 'invalid', `The [lambda.type] property must be one of ${LAMBDA_TYPES.join(', ')}.`);
  if (debug !== undefined && debug !== null && typeof debug !== 'boolean')
    errors.add('lambda.debug', 'invalid', 'The [lambda.debug] property must be true or false.');
  if (engineType !== undefined && engineType !== null && engineType !== 'GraalJS' && engineType !== 'Nashorn') {
    errors.add('lambda.engineType', 'invalid', 'The [lambda.engineType] property must be one of GraalJS, Nashorn.');
  }
  errors.throwIfAny();
  return {
    id: context.id,
    name: name as string,
    type: type as LambdaType,
    body: body as string,
    debug: debug === true,
    // Nashorn was removed in FusionAuth 1.49.0 and its lambdas moved to GraalJS (https://fusionauth.io/docs/extend/code/lambdas).
    engineType: 'GraalJS',
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/** Where an application attaches lambdas, and the type each must have (https://fusionauth.io/docs/apis/applications). */
export const APPLICATION_LAMBDA_FIELDS: ReadonlyArray<readonly [string, LambdaType]> = [
  ['accessTokenPopulateId', 'JWTPopulate'],
  ['idTokenPopulateId', 'JWTPopulate'],
  ['userinfoPopulateId', 'UserInfoPopulate'],
  ['samlv2PopulateId', 'SAMLv2Populate'],
  ['selfServiceRegistrationValidationId', 'SelfServiceRegistrationValidation'],
  ['multiFactorRequirementId', 'MFARequirement'],
];

/** The lambda ids an application's `lambdaConfiguration` names, by field. */
export function applicationLambdaIds(application: JsonObject): Array<{ field: string; id: string; type: LambdaType }> {
  const configuration = isObject(application.lambdaConfiguration) ? application.lambdaConfiguration : {};
  return APPLICATION_LAMBDA_FIELDS.flatMap(([field, type]) => {
    const id = configuration[field];
    return typeof id === 'string' && id !== '' ? [{ field, id, type }] : [];
  });
}

/**
 * An application may only name lambdas that exist and have the type their field needs: FusionAuth answers
 * `[invalid]application.lambdaConfiguration.<field>` otherwise (docs/lambdas.md).
 */
export function checkApplicationLambdas(application: JsonObject, typeOf: (id: string) => LambdaType | undefined): void {
  const errors = new FieldErrors();
  const configuration = application.lambdaConfiguration;
  if (configuration !== undefined && configuration !== null && !isObject(configuration)) {
    errors.add('application.lambdaConfiguration', 'invalid', 'The [application.lambdaConfiguration] property must be an object.');
  }
  for (const [field] of APPLICATION_LAMBDA_FIELDS) {
    const id = isObject(configuration) ? configuration[field] : undefined;
    if (id !== undefined && id !== null && typeof id !== 'string') {
      errors.add(
        `application.lambdaConfiguration.${field}`,
        'invalid',
        `The [application.lambdaConfiguration.${field}] property must be a lambda Id.`,
      );
    }
  }
  for (const { field, id, type } of applicationLambdaIds(application)) {
    const actual = typeOf(id);
    if (actual !== type) {
      const problem = actual === undefined ? 'does not exist' : `is of type [${actual}], not [${type}]`;
      errors.add(
        `application.lambdaConfiguration.${field}`,
        'invalid',
        `The [application.lambdaConfiguration.${field}] property value [${id}] is not valid: the lambda ${problem}.`,
      );
    }
  }
  errors.throwIfAny();
}
