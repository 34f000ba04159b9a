import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { isCurrentPassword, isPreviouslyUsed, setPassword } from '../../manage/change-password.js';
import { requireBody } from '../../manage/request-body.js';
import { needsTrust, requireTrust, trustTokenRequired } from '../../manage/trust-tokens.js';
import type { JsonObject } from '../../model/json.js';
import { checkPassword, passwordRulesOf } from '../../model/password-rules.js';
import type { User } from '../../model/user.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { userByLoginId } from './login-id.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  changePasswordId?: string;
}

/** Who a password change is for, by which of FusionAuth's three forms, and what the answer carries. */
interface Change {
  user: User;
  form: 'changePasswordId' | 'jwt' | 'loginId';
  /** The forgot-password request's `state`, returned unchanged. */
  state?: JsonObject;
  /** A live refresh token of the user came with the request (cookie or `refreshToken`). */
  refreshAllowed: boolean;
  /** The changePasswordId the change uses up. */
  changePasswordId?: string;
  /** The trust token the change uses up: the user has a second factor. */
  trustToken?: string;
}

const params = { type: 'object', properties: { changePasswordId: { type: 'string', maxLength: 1024 } } } as const;

/**
 * FusionAuth's Change Password API, `POST /api/user/change-password[/{changePasswordId}]`, in its three forms:
 * a changePasswordId (no authentication; the body's wins over the path's), the user's own access token
 * (`currentPassword` required), or an API key with `loginId`. The first two answer 200
 * `{oneTimePassword, state?}` (Users API, "Change a User's Password"); the API-key form answers 200 with no body.
 * For a user with a second factor, every form also needs a `trustToken` (and its `trustChallenge`), else 400
 * `[TrustTokenRequired]`. `GET` checks whether a change is possible: 200, 400 `[TrustTokenRequired]` for a user with
 * a second factor, or 404 for an unknown or expired changePasswordId or login id.
 */
export async function changePasswordRoutes(app: FastifyInstance): Promise<void> {
  for (const url of ['/user/change-password', '/user/change-password/:changePasswordId']) {
    app.post<{ Params: Params }>(url, { schema: { params }, config: { public: true } }, async (request, reply) => {
      const body = requireBody(request.body);
      const change = await whoseChange(request, body);
      const oneTimePassword = await setPassword(
        app.standin,
        change.user,
        body.password as string,
        change.form === 'loginId' ? undefined : { refreshAllowed: change.refreshAllowed },
        change.changePasswordId === undefined ? undefined : { changePasswordId: change.changePasswordId },
        change.trustToken,
      );
      if (oneTimePassword === undefined) return reply.code(200).send();
      return { oneTimePassword, ...(change.state === undefined ? {} : { state: change.state }) };
    });
  }

  // checkChangePasswordUsingId: no authentication; the changePasswordId must be live and its user exist.
  app.get<{ Params: Params }>('/user/change-password/:changePasswordId', { schema: { params }, config: { public: true } }, async (request, reply) => {
    const { standin } = request.server;
    const grant = standin.stores.changePasswordIds.find(request.params.changePasswordId ?? '', standin.config.now());
    const user = grant === undefined ? undefined : standin.stores.users.get(grant.userId);
    if (!user) throw ApiError.notFound();
    return ok(reply, user);
  });
  // checkChangePasswordUsingJWT (`Authorization: Bearer`) and checkChangePasswordUsingLoginId (API key, `loginId`).
  const checkQuery = {
    type: 'object',
    properties: {
      loginId: { type: 'string', maxLength: 1024 },
      loginIdTypes: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
    },
  } as const;
  app.get<{ Querystring: { loginId?: string; loginIdTypes?: string[] } }>(
    '/user/change-password',
    { schema: { querystring: checkQuery }, config: { public: true } },
    async (request, reply) => {
      const token = presentedJwt(request);
      if (token !== undefined && !apiKeyOf(request)) return ok(reply, await jwtUser(request, token));
      if (!apiKeyOf(request)) throw ApiError.unauthorized();
      const { loginId } = request.query;
      if (loginId === undefined || loginId === '')
        new FieldErrors().add('loginId', 'blank', 'You must specify the [loginId] parameter.').throwIfAny();
      const user = userByLoginId(request.server.standin.stores, requestTenant(request).id, loginId!, request.query.loginIdTypes);
      if (!user) throw ApiError.notFound();
      return ok(reply, user);
    },
  );
}

/**
 * 200 with no body when the user's password can be changed as asked; FusionAuth's 400 `[TrustTokenRequired]` when
 * the user has a second factor, since the change will need a trust token (Change Password API, the GET's codes).
 */
function ok(reply: FastifyReply, user: User): FastifyReply {
  if (needsTrust(reply.server.standin, user)) throw trustTokenRequired();
  return reply.code(200).send();
}

/** The user whose password changes, after FusionAuth's checks for the form the request takes. */
async function whoseChange(request: FastifyRequest<{ Params: Params }>, body: JsonObject): Promise<Change> {
  const { standin } = request.server;
  const changePasswordId = nonEmpty(body.changePasswordId) ?? nonEmpty(request.params.changePasswordId);
  const token = changePasswordId === undefined ? presentedJwt(request) : undefined;
  const byLoginId = changePasswordId === undefined && token === undefined;
  if (byLoginId && !apiKeyOf(request)) throw ApiError.unauthorized();
  if (byLoginId && body.loginId === undefined)
    throw ApiError.general('[invalid]', 'Send a changePasswordId, an access token, or an API key with a loginId.');

  const errors = new FieldErrors();
  if (token !== undefined && nonEmpty(body.currentPassword) === undefined) {
    errors.add('currentPassword', 'blank', 'You must specify the [currentPassword] property.');
  }
  let user: User | undefined;
  let state: JsonObject | undefined;
  if (changePasswordId !== undefined) {
    const grant = standin.stores.changePasswordIds.find(changePasswordId, standin.config.now());
    user = grant === undefined ? undefined : standin.stores.users.get(grant.userId);
    state = grant?.state;
  } else if (token !== undefined) {
    user = await jwtUser(request, token);
  } else {
    user = typeof body.loginId === 'string' ? userByLoginId(standin.stores, requestTenant(request).id, body.loginId, body.loginIdTypes) : undefined;
    if (!user) errors.add('loginId', 'invalid', 'No user has this [loginId].');
  }
  // The rules of the user's tenant; FusionAuth's defaults while the user is unknown.
  checkPassword(passwordRulesOf(user === undefined ? undefined : standin.stores.tenants.get(user.tenantId)), body.password, 'password', errors);
  errors.throwIfAny();
  if (!user) throw ApiError.notFound();
  // A user with a second factor: every form needs a trust token from a finished two-factor login, and the step-up's
  // trustChallenge if it had one (https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication,
  // "Trust Tokens and Trust Challenges"); checked before currentPassword, which it would otherwise let be guessed.
  const trusted = needsTrust(standin, user);
  if (trusted) requireTrust(standin, user, body.trustToken, body.trustChallenge);
  // A wrong currentPassword: 400 with an API key, 404 without, "for security reasons" (Change Password API).
  if (body.currentPassword !== undefined && body.currentPassword !== null && !(await isCurrentPassword(standin, user, body.currentPassword))) {
    if (byLoginId) new FieldErrors().add('currentPassword', 'invalid', 'The [currentPassword] is not the current password.').throwIfAny();
    throw ApiError.notFound();
  }
  // The tenant's rememberPreviousPasswords (https://fusionauth.io/docs/apis/tenants), after the cheaper checks.
  if (await isPreviouslyUsed(standin, user, body.password as string)) {
    new FieldErrors().add('password', 'previouslyUsed', 'The [password] has been used too recently; choose another.').throwIfAny();
  }
  const form = changePasswordId !== undefined ? 'changePasswordId' : token !== undefined ? 'jwt' : 'loginId';
  return {
    user,
    form,
    ...(state === undefined ? {} : { state }),
    refreshAllowed: holdsRefreshToken(request, body, user),
    ...(changePasswordId === undefined ? {} : { changePasswordId }),
    ...(trusted ? { trustToken: body.trustToken as string } : {}),
  };
}

/**
 * Whether the request brings a live refresh token of this user: the `refresh_token` cookie, which wins, or
 * `refreshToken`. Only then may a login with the one-time password get a refresh token (Change Password API,
 * `refreshToken`). Read before the change, which may revoke it.
 */
function holdsRefreshToken(request: FastifyRequest, body: JsonObject, user: User): boolean {
  const value = request.cookies.refresh_token || nonEmpty(body.refreshToken);
  if (value === undefined) return false;
  const found = request.server.standin.stores.refreshTokens.lookup(value);
  return found.found === 'current' && found.token.userId === user.id && found.token.expiresAt > request.server.standin.config.now();
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
