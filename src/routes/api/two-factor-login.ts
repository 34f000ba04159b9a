import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { setTrustCookie } from '../../http/trust-cookie.js';
import type { Application } from '../../model/application.js';
import { isObject, type JsonObject } from '../../model/json.js';
import { issueTrustToken } from '../../manage/trust-tokens.js';
import { trustSeconds } from '../../model/multi-factor-configuration.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { requireSignableLoginOf } from '../../oauth/signing-keys.js';
import { completeTwoFactorLogin, pendingApplicationId, type PendingLogin } from '../../oauth/two-factor-login.js';
import type { LoginBody } from './login.js';

interface Body extends LoginBody {
  twoFactorId?: string;
  code?: string;
  trustComputer?: boolean;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      twoFactorId: { type: 'string', maxLength: 256 },
      code: { type: 'string', maxLength: 64 },
      trustComputer: { type: 'boolean' },
      applicationId: { type: 'string', maxLength: 64 },
      noJWT: { type: 'boolean' },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
    },
  },
} as const;

export interface TwoFactorLoginOptions {
  /** The Login API's own ending (routes/api/login.ts), so both steps answer alike. */
  answerLogin: (
    request: FastifyRequest,
    reply: FastifyReply,
    body: LoginBody,
    who: { user: User; tenant: Tenant; application?: Application },
    extra: JsonObject,
    authenticationType: string,
    refreshAllowed: boolean,
  ) => Promise<FastifyReply>;
}

/**
 * `POST /api/two-factor/login` (https://fusionauth.io/docs/apis/login, "Complete Multi-Factor Authentication"): no
 * API key; the `twoFactorId` of a 242 or of `POST /api/two-factor/start` and a code (a current TOTP code, a recovery
 * code, or the step-up's code). 200 etc. exactly as the Login API, with a `trustToken`, a step-up's `state`, and
 * `twoFactorTrustId` and the `fusionauth.trust` cookie when `trustComputer`; an empty 421 for a
 * wrong code; an empty 404 for an unknown, used or expired twoFactorId; 423 and 429 as the Login API once
 * wrong codes reach its lockout limits (docs/two-factor.md).
 */
export async function twoFactorLoginRoutes(app: FastifyInstance, options: TwoFactorLoginOptions): Promise<void> {
  app.post<{ Body: Body | null | undefined }>('/two-factor/login', { config: { public: true }, schema }, async (request, reply) => {
    const body = request.body ?? {};
    const errors = new FieldErrors();
    if (!body.code) errors.add('code', 'blank', 'You must specify the [code] property.');
    errors.throwIfAny();
    if (!body.twoFactorId) throw ApiError.notFound();
    const pendingLogin = app.standin.stores.twoFactor.findLogin(body.twoFactorId, app.standin.config.now());
    // A login no key can sign is refused before the code (maybe a recovery code) is used up.
    if (pendingLogin && body.noJWT !== true) {
      requireSignableLoginOf(app.standin.stores, pendingLogin.userId, pendingApplicationId(pendingLogin.body as PendingLogin));
    }
    const outcome = completeTwoFactorLogin(app.standin, {
      twoFactorId: body.twoFactorId,
      code: body.code!,
      trustComputer: body.trustComputer === true,
      ip: request.ip,
      stepUpAllowed: true,
    });
    if (outcome.kind === 'not-found') throw ApiError.notFound();
    if (outcome.kind === 'wrong-code') return reply.code(421).send();
    if (outcome.kind === 'refused') {
      const { kind, retryAfterSeconds } = outcome.refusal;
      if (kind === 'lockout') return reply.code(423).send();
      reply.header('retry-after', String(retryAfterSeconds));
      if (kind === 'busy') throw ApiError.general('[ServiceUnavailable]', 'Standin is busy; try again shortly.', 503);
      throw ApiError.general('[TooManyRequests]', `Too many failed logins from this address; try again in ${retryAfterSeconds} seconds.`, 429);
    }
    const { user, pending, twoFactorTrustId } = outcome;
    const tenant = app.standin.stores.tenants.get(user.tenantId)!;
    const applicationId = pendingApplicationId(pending);
    const application = applicationId === undefined ? undefined : app.standin.stores.applications.get(applicationId);
    if (twoFactorTrustId) setTrustCookie(request, reply, twoFactorTrustId, trustSeconds(tenant, application));
    // Every finished two-factor login answers a trustToken (the Login API's "Complete Multi-Factor Authentication"
    // response), bound to the step-up's trustChallenge when it had one; a step-up's `state` comes back unchanged.
    const trustChallengeHash = typeof pending.trustChallengeHash === 'string' ? pending.trustChallengeHash : undefined;
    const extra: JsonObject = {
      trustToken: issueTrustToken(app.standin, user, tenant, trustChallengeHash),
      ...(twoFactorTrustId ? { twoFactorTrustId } : {}),
      ...(isObject(pending.state) ? { state: pending.state } : {}),
    };
    // The first step's kind of login (PASSWORD, PASSWORDLESS, ONE_TIME_PASSWORD) stays the token's authenticationType,
    // and a one-time password made without a refresh token still gives none. A step-up's token says PASSWORD:
    // FusionAuth's list of kinds has none for a second factor alone (docs/two-factor.md, "Differences").
    const authenticationType = typeof pending.authenticationType === 'string' ? pending.authenticationType : 'PASSWORD';
    return options.answerLogin(
      request,
      reply,
      body,
      { user, tenant, ...(application ? { application } : {}) },
      extra,
      authenticationType,
      pending.refreshAllowed !== false,
    );
  });
}
