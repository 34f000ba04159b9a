import { randomUUID } from 'node:crypto';
import { ApiError, type Errors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import { jwtConfigurationOf } from '../oauth/jwt-configuration.js';
import { importedExpiry } from '../oauth/refresh-rules.js';
import type { Stores } from '../store/index.js';
import type { RefreshToken } from '../store/refresh-tokens.js';

/** A token of the request, read and checked for shape before the database is asked about it. */
interface ImportedToken {
  index: number;
  id: string;
  value: string;
  userId: string;
  applicationId: string;
  startInstant: number;
  insertInstant: number;
  metaData: JsonObject;
  scope: string;
}

/**
 * The scope an imported token holds when its `metaData.scopes` names none: `offline_access`, the scope a refresh
 * token stands for. FusionAuth's docs do not say; a token imported with `metaData.scopes` keeps those
 * (docs/management-api.md, "Importing refresh tokens").
 */
const DEFAULT_SCOPE = 'offline_access';

/**
 * FusionAuth's Import Refresh Tokens API (https://fusionauth.io/docs/apis/users/import-refresh-tokens): each token's
 * value is stored as Standin stores every refresh token, hashed, never the value itself, so that the `refresh_token`
 * grant and `/api/jwt/refresh` accept it afterwards under its application's refresh token settings. Every token is
 * written in one transaction, or none is. The checks against the database (the user exists where the request can
 * see it, the application exists, the user is registered to it, the value is not stored already) answer field errors
 * with `validateDbConstraints`, and without it one general `[ImportRequestFailed]`, as FusionAuth answers its
 * database's refusal then (Standin answers 400 where FusionAuth answers 500).
 */
export function importRefreshTokens(stores: Stores, body: JsonObject, visible: (tenantId: string) => boolean): void {
  const { refreshTokens, validateDbConstraints } = body;
  if (!Array.isArray(refreshTokens) || refreshTokens.length === 0) {
    throw new ApiError(400, {
      fieldErrors: {
        refreshTokens: [{ code: '[missing]refreshTokens', message: 'You must specify at least one refresh token in the [refreshTokens] property.' }],
      },
      generalErrors: [],
    });
  }
  const shapeErrors: Errors = { fieldErrors: {}, generalErrors: [] };
  const tokens = refreshTokens.flatMap((given, index) => {
    const read = readToken(given, index, shapeErrors);
    return read ? [read] : [];
  });
  throwIfAny(shapeErrors);
  stores.db
    .transaction(() => {
      const errors: Errors = { fieldErrors: {}, generalErrors: [] };
      const values = new Set<string>();
      const ids = new Set<string>();
      for (const token of tokens) {
        const problem = databaseProblem(stores, token, visible, values, ids);
        values.add(token.value);
        ids.add(token.id);
        if (problem) {
          add(errors, `refreshToken.${problem.field}`, problem.code, problem.message);
          continue;
        }
        stores.refreshTokens.insert(storedToken(stores, token), token.value);
      }
      if (Object.keys(errors.fieldErrors).length === 0) return;
      if (validateDbConstraints === true) throw new ApiError(400, errors);
      throw ApiError.general(
        '[ImportRequestFailed]',
        'The import failed: a refresh token names a user or application that does not exist, a user not registered to the application, or a value already stored. Send the request again with [validateDbConstraints] set to true to see which.',
      );
    })
    .immediate();
}

/** One token of the request; its shape errors go to `errors` (FusionAuth's field names, `refreshToken.x`). */
function readToken(given: unknown, index: number, errors: Errors): ImportedToken | undefined {
  if (!isObject(given)) {
    errors.generalErrors.push({
      code: '[invalid]refreshTokens',
      message: `The refresh token at index [${index}] of [refreshTokens] must be an object.`,
    });
    return undefined;
  }
  const before = JSON.stringify(errors);
  const { token, userId, applicationId, startInstant, insertInstant, metaData, id } = given;
  if (typeof token !== 'string' || token.trim() === '')
    add(errors, 'refreshToken.token', 'blank', `You must specify the [refreshToken.token] property of refresh token [${index}].`);
  for (const [field, value] of [
    ['userId', userId],
    ['applicationId', applicationId],
  ] as const) {
    if (value === undefined || value === null || value === '')
      add(errors, `refreshToken.${field}`, 'blank', `You must specify the [refreshToken.${field}] property of refresh token [${index}].`);
    else if (!isUuid(value))
      add(errors, `refreshToken.${field}`, 'invalid', `The [refreshToken.${field}] property of refresh token [${index}] must be a UUID.`);
  }
  if (startInstant === undefined || startInstant === null)
    add(errors, 'refreshToken.startInstant', 'blank', `You must specify the [refreshToken.startInstant] property of refresh token [${index}].`);
  else if (!isInstant(startInstant))
    add(errors, 'refreshToken.startInstant', 'invalid', `The [refreshToken.startInstant] property of refresh token [${index}] must be an instant.`);
  if (insertInstant !== undefined && insertInstant !== null && !isInstant(insertInstant))
    add(errors, 'refreshToken.insertInstant', 'invalid', `The [refreshToken.insertInstant] property of refresh token [${index}] must be an instant.`);
  if (metaData !== undefined && metaData !== null && !isObject(metaData))
    add(errors, 'refreshToken.metaData', 'invalid', `The [refreshToken.metaData] property of refresh token [${index}] must be an object.`);
  if (id !== undefined && id !== null && !isUuid(id))
    add(errors, 'refreshToken.id', 'invalid', `The [refreshToken.id] property of refresh token [${index}] must be a UUID.`);
  if (JSON.stringify(errors) !== before) return undefined;
  const meta = isObject(metaData) ? metaData : {};
  const scopes = Array.isArray(meta.scopes) ? meta.scopes.filter((scope): scope is string => typeof scope === 'string' && scope !== '') : [];
  const start = startInstant as number;
  return {
    index,
    id: typeof id === 'string' ? id.toLowerCase() : randomUUID(),
    value: token as string,
    userId: (userId as string).toLowerCase(),
    applicationId: (applicationId as string).toLowerCase(),
    startInstant: start,
    // The current value's issue; no later than now would be a guess, so the other system's word is taken.
    insertInstant: typeof insertInstant === 'number' ? insertInstant : start,
    metaData: meta,
    scope: scopes.length > 0 ? [...new Set(scopes)].join(' ') : DEFAULT_SCOPE,
  };
}

/** What the database says against the token, given the tokens of the request before it (`values`, `ids`). */
function databaseProblem(
  stores: Stores,
  token: ImportedToken,
  visible: (tenantId: string) => boolean,
  values: ReadonlySet<string>,
  ids: ReadonlySet<string>,
): { field: string; code: string; message: string } | undefined {
  const at = `refresh token [${token.index}]`;
  const user = stores.users.get(token.userId);
  // A user of a tenant the request cannot see (a tenant-bound key, X-FusionAuth-TenantId) does not exist for it.
  if (!user || !visible(user.tenantId))
    return { field: 'userId', code: '[invalid]refreshToken.userId', message: `The user [${token.userId}] of ${at} does not exist.` };
  const application = stores.applications.get(token.applicationId);
  if (!application || application.tenantId !== user.tenantId)
    return {
      field: 'applicationId',
      code: '[invalid]refreshToken.applicationId',
      message: `The application [${token.applicationId}] of ${at} does not exist.`,
    };
  if (!stores.registrations.get(user.id, application.id)) {
    return {
      field: 'applicationId',
      code: '[notRegistered]refreshToken.applicationId',
      message: `The user [${user.id}] of ${at} is not registered to the application [${application.id}].`,
    };
  }
  if (values.has(token.value) || stores.refreshTokens.lookup(token.value).found !== 'none')
    return { field: 'token', code: '[duplicate]refreshToken.token', message: `The value of ${at} is already a refresh token.` };
  if (ids.has(token.id) || stores.refreshTokens.get(token.id))
    return { field: 'id', code: '[duplicate]refreshToken.id', message: `A refresh token with Id [${token.id}] already exists.` };
  return undefined;
}

/** The token as stored: its expiry from the application's refresh token settings as they are now. */
function storedToken(stores: Stores, token: ImportedToken): RefreshToken {
  const application = stores.applications.get(token.applicationId)!;
  const tenant = stores.tenants.get(application.tenantId)!;
  const config = jwtConfigurationOf(application, tenant);
  return {
    id: token.id,
    userId: token.userId,
    applicationId: token.applicationId,
    tenantId: tenant.id,
    startInstant: token.startInstant,
    insertInstant: token.insertInstant,
    lastUsed: token.insertInstant,
    expiresAt: importedExpiry(config, token.startInstant, token.insertInstant),
    scope: token.scope,
    authTime: token.startInstant,
    // Not a login Standin saw; FusionAuth's docs name no type for an imported token. A refresh's tokens say REFRESH_TOKEN.
    authenticationType: 'REFRESH_TOKEN',
    metaData: { ...token.metaData, scopes: token.scope.split(' ') },
  };
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function add(errors: Errors, field: string, code: string, message: string): void {
  (errors.fieldErrors[field] ??= []).push({ code: code.startsWith('[') ? code : `[${code}]${field}`, message });
}

function throwIfAny(errors: Errors): void {
  if (Object.keys(errors.fieldErrors).length > 0 || errors.generalErrors.length > 0) throw new ApiError(400, errors);
}
