import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { isUuid, type JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { startStepUp } from '../../oauth/two-factor-step-up.js';
import { userByLoginId } from './login-id.js';
import { isVisible, requestTenant } from './tenant-scope.js';

interface Body {
  applicationId?: string;
  code?: string;
  loginId?: string;
  loginIdTypes?: string[];
  state?: JsonObject;
  trustChallenge?: string;
  userId?: string;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      applicationId: { type: 'string', maxLength: 64 },
      // POST /api/two-factor/login takes codes of up to 64 characters: a longer one could never finish the step-up.
      code: { type: 'string', minLength: 1, maxLength: 64 },
      loginId: { type: 'string', maxLength: 1024 },
      loginIdTypes: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
      state: { type: 'object' },
      trustChallenge: { type: 'string', maxLength: 1024 },
      userId: { type: 'string', maxLength: 64 },
    },
  },
} as const;

/**
 * `POST /api/two-factor/start` (`startTwoFactorLogin`; https://fusionauth.io/docs/apis/two-factor, "Start
 * Multi-Factor"): API key. The user by `userId` (which wins) or `loginId`; 200 `{code, methods, twoFactorId}`, the
 * `methods` left out for a user with none; an empty 404 for an unknown user. Finished at `POST /api/two-factor/login`
 * (docs/two-factor.md, "Step-up and trust tokens").
 */
export async function twoFactorStartRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body | null | undefined }>('/two-factor/start', { schema }, async (request) => {
    const body = request.body ?? {};
    const { tenant, application } = stepUpContext(request, body.applicationId);
    if (body.userId === undefined && (body.loginId === undefined || body.loginId === ''))
      new FieldErrors().add('loginId', 'blank', 'You must specify either the [loginId] or the [userId] property.').throwIfAny();
    const user = stepUpUser(request, tenant, body);
    if (!user?.active) throw ApiError.notFound();
    return startStepUp(app.standin, user, tenant, application, {
      ...(body.code === undefined ? {} : { code: body.code }),
      ...(body.state === undefined ? {} : { state: body.state }),
      ...(body.trustChallenge === undefined ? {} : { trustChallenge: body.trustChallenge }),
    });
  });
}

/** The application named (it must exist, be active and be in the request's tenant) and the tenant it decides. */
function stepUpContext(request: FastifyRequest, applicationId: string | undefined): { tenant: Tenant; application?: Application } {
  if (applicationId === undefined) return { tenant: requestTenant(request) };
  const found = isUuid(applicationId) ? request.server.standin.stores.applications.get(applicationId) : undefined;
  if (!found?.active || !isVisible(request, found.tenantId))
    new FieldErrors().add('applicationId', 'invalid', `Invalid Application Id [${applicationId}].`).throwIfAny();
  return { tenant: request.server.standin.stores.tenants.get(found!.tenantId)!, application: found! };
}

/** The user by id (in the tenant) or by login id, as FusionAuth prefers `userId` when both are sent. */
function stepUpUser(request: FastifyRequest, tenant: Tenant, body: Body): User | undefined {
  const { stores } = request.server.standin;
  if (body.userId !== undefined) {
    const user = isUuid(body.userId) ? stores.users.get(body.userId) : undefined;
    return user && user.tenantId === tenant.id ? user : undefined;
  }
  return userByLoginId(stores, tenant.id, body.loginId!, body.loginIdTypes);
}
