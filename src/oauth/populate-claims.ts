import type { LambdaRuntime } from '../lambdas/lambda-runtime.js';
import type { Application } from '../model/application.js';
import { isObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import type { User } from '../model/user.js';

/**
 * Claims a JWT populate lambda may not change or remove (https://fusionauth.io/docs/extend/code/lambdas/jwt-populate).
 * `jti` is Standin's too: revoking an access token finds it by its `jti` (docs/lambdas.md).
 */
const JWT_RESERVED = ['amr', 'auth_time', 'cnf', 'gty', 'exp', 'iat', 'sub', 'tid', 'tty', 'jti'];
/**
 * Claims a Client Credentials JWT populate lambda may not change or remove
 * (https://fusionauth.io/docs/extend/code/lambdas/client-credentials-jwt-populate); `jti` is Standin's, as above.
 */
const CLIENT_CREDENTIALS_RESERVED = ['amr', 'aud', 'cnf', 'exp', 'gty', 'iat', 'permissions', 'sub', 'tid', 'tty', 'use', 'jti'];
/** Claims a UserInfo populate lambda may not change (https://fusionauth.io/docs/extend/code/lambdas/userinfo-populate). */
const USERINFO_RESERVED = ['email', 'email_verified', 'phone_number_verified', 'sub', 'tid'];

export interface PopulateInput {
  user: User;
  registration?: Registration | undefined;
  /** The token's scopes (`context.scopes`); empty for the Login API, which has none. */
  scopes: string[];
}

/**
 * The claims of an access or id token after the application's JWT populate lambda, called as FusionAuth does:
 * `populate(jwt, user, registration, context)`, `registration` undefined for a user not registered. A lambda that
 * throws, runs too long or is missing leaves the claims as they were, and the token is still issued.
 * Every argument reaches the lambda as a copy, so nothing it does touches Standin's objects.
 */
export async function populateJwtClaims(
  lambdas: LambdaRuntime,
  kind: 'access' | 'id',
  application: Application | undefined,
  claims: Record<string, unknown>,
  input: PopulateInput,
): Promise<Record<string, unknown>> {
  const configuration = isObject(application?.lambdaConfiguration) ? application.lambdaConfiguration : {};
  const lambdaId = configuration[kind === 'access' ? 'accessTokenPopulateId' : 'idTokenPopulateId'];
  if (typeof lambdaId !== 'string' || lambdaId === '') return claims;
  const after = await lambdas.run(lambdaId, 'JWTPopulate', 'populate', [claims, input.user, input.registration, { scopes: input.scopes }]);
  return after === undefined ? claims : keepReserved(claims, after[0], JWT_RESERVED);
}

/**
 * The claims of an entity's client credentials token after its tenant's Client Credentials JWT populate lambda
 * (`tenant.oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId`), called as FusionAuth does:
 * `populate(jwt, recipientEntity, targetEntities, permissions, context)`. A lambda that throws, runs too long or is
 * missing leaves the claims as they were, and the token is still issued.
 */
export async function populateClientCredentialsClaims(
  lambdas: LambdaRuntime,
  lambdaId: unknown,
  claims: Record<string, unknown>,
  input: { recipientEntity: unknown; targetEntities: unknown[]; permissions: Record<string, string[]> },
): Promise<Record<string, unknown>> {
  if (typeof lambdaId !== 'string' || lambdaId === '') return claims;
  const after = await lambdas.run(lambdaId, 'ClientCredentialsJWTPopulate', 'populate', [
    claims,
    input.recipientEntity,
    input.targetEntities,
    input.permissions,
    {},
  ]);
  return after === undefined ? claims : keepReserved(claims, after[0], CLIENT_CREDENTIALS_RESERVED);
}

/**
 * The `/oauth2/userinfo` answer after the application's UserInfo populate lambda:
 * `populate(userInfo, user, registration, jwt, context)`, `jwt` being the access token's claims.
 */
export async function populateUserinfoClaims(
  lambdas: LambdaRuntime,
  application: Application,
  userInfo: Record<string, unknown>,
  input: PopulateInput & { jwt: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const configuration = isObject(application.lambdaConfiguration) ? application.lambdaConfiguration : {};
  const lambdaId = configuration.userinfoPopulateId;
  if (typeof lambdaId !== 'string' || lambdaId === '') return userInfo;
  const after = await lambdas.run(lambdaId, 'UserInfoPopulate', 'populate', [
    userInfo,
    input.user,
    input.registration,
    input.jwt,
    { scopes: input.scopes },
  ]);
  return after === undefined ? userInfo : keepReserved(userInfo, after[0], USERINFO_RESERVED);
}

/**
 * The lambda's claims with the reserved ones put back as Standin made them, except that `exp` may be lowered
 * (FusionAuth 1.59.0 and later). Anything but an object leaves the claims unchanged.
 */
function keepReserved(before: Record<string, unknown>, after: unknown, reserved: readonly string[]): Record<string, unknown> {
  if (!isObject(after) || Array.isArray(after)) return before;
  const result = withoutNullMembers(after) as Record<string, unknown>;
  for (const name of reserved) {
    if (name in before) result[name] = before[name];
    else delete result[name];
  }
  const exp = after.exp;
  if (
    reserved.includes('exp') &&
    typeof before.exp === 'number' &&
    typeof exp === 'number' &&
    Number.isSafeInteger(exp) &&
    exp >= 0 &&
    exp < before.exp
  )
    result.exp = exp;
  return result;
}

/**
 * A lambda removes a claim by setting it to `null`: FusionAuth writes JWTs with Jackson told to leave out null
 * properties and null map values (fusionauth-jwt's `Mapper`), at any depth; a null inside an array stays.
 */
function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (!isObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) if (member !== null) kept[name] = withoutNullMembers(member);
  return kept;
}
