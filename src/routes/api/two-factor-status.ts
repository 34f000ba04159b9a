import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FieldErrors } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { isUuid, type JsonObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { secondFactorOf, type MfaAction } from '../../oauth/mfa-requirement.js';
import { isVisible } from './tenant-scope.js';

interface StatusInput {
  userId?: string;
  applicationId?: string;
  twoFactorTrustId?: string;
  action?: string;
}

const query = {
  type: 'object',
  properties: { userId: { type: 'string', maxLength: 64 }, applicationId: { type: 'string', maxLength: 64 } },
} as const;

const params = { type: 'object', properties: { twoFactorTrustId: { type: 'string', maxLength: 256 } } } as const;

const body = {
  type: ['object', 'null'],
  properties: {
    userId: { type: 'string', maxLength: 64 },
    applicationId: { type: 'string', maxLength: 64 },
    twoFactorTrustId: { type: 'string', maxLength: 256 },
    // Handed by FusionAuth to an MFA requirement lambda only; Standin runs none (docs/two-factor.md).
    accessToken: { type: 'string', maxLength: 16384 },
    action: { type: 'string', maxLength: 32 },
    eventInfo: { type: 'object' },
  },
} as const;

// FusionAuth's MultiFactorAction values (https://fusionauth.io/docs/apis/two-factor, "Retrieve Multi-Factor Status").
const ACTIONS = ['changePassword', 'login', 'stepUp'];

/**
 * `GET /api/two-factor/status[/{twoFactorTrustId}]?userId=&applicationId=` (`retrieveTwoFactorStatus`) and
 * `POST /api/two-factor/status` (`retrieveTwoFactorStatusWithRequest`): API key. Whether the user's next login in
 * the application would be asked for a second factor: 242 when it would, 200 when not (no method, a policy that
 * asks nothing, or a trust that still holds); the body `{trusts, twoFactorTrustId}` lists the trust named, while it
 * is live. The decision is the Login API's own (oauth/mfa-requirement.ts `secondFactorOf`; docs/two-factor.md).
 */
export async function twoFactorStatusRoutes(app: FastifyInstance): Promise<void> {
  for (const url of ['/two-factor/status', '/two-factor/status/:twoFactorTrustId']) {
    app.get<{ Params: { twoFactorTrustId?: string }; Querystring: StatusInput }>(
      url,
      { schema: { params, querystring: query } },
      async (request, reply) =>
        answerStatus(request, reply, {
          ...request.query,
          ...(request.params.twoFactorTrustId ? { twoFactorTrustId: request.params.twoFactorTrustId } : {}),
        }),
    );
  }
  app.post<{ Body: StatusInput | null | undefined }>('/two-factor/status', { schema: { body } }, async (request, reply) =>
    answerStatus(request, reply, request.body ?? {}),
  );
}

async function answerStatus(request: FastifyRequest, reply: FastifyReply, input: StatusInput): Promise<FastifyReply> {
  const { standin } = request.server;
  const { stores } = standin;
  const errors = new FieldErrors();
  let user: User | undefined;
  let application: Application | undefined;
  if (input.userId === undefined || input.userId === '') errors.add('userId', 'blank', 'You must specify the [userId] property.');
  else {
    user = isUuid(input.userId) ? stores.users.get(input.userId) : undefined;
    if (!user || !isVisible(request, user.tenantId)) errors.add('userId', 'invalid', `No user has the Id [${input.userId}].`);
  }
  if (input.applicationId !== undefined && input.applicationId !== '') {
    application = isUuid(input.applicationId) ? stores.applications.get(input.applicationId) : undefined;
    if (!application || !isVisible(request, application.tenantId) || (user && application.tenantId !== user.tenantId))
      errors.add('applicationId', 'invalid', `Invalid Application Id [${input.applicationId}].`);
  }
  if (input.action !== undefined && !ACTIONS.includes(input.action))
    errors.add('action', 'invalid', `The [action] property must be one of ${ACTIONS.join(', ')}.`);
  errors.throwIfAny();
  const tenant = stores.tenants.get(user!.tenantId)!;
  const trustId = input.twoFactorTrustId || undefined;
  // The MFA requirement lambda decides here too, for the action asked about (docs/lambdas.md).
  const action = (input.action ?? 'login') as MfaAction;
  const challenge = await secondFactorOf(standin, { user: user!, tenant, trustId, ...(application ? { application } : {}) }, action);
  const trust = trustId === undefined ? undefined : stores.twoFactor.trustDetail(trustId, user!.id, standin.config.now());
  const trusts: JsonObject[] = trust
    ? [
        {
          ...(trust.applicationId === null ? {} : { applicationId: trust.applicationId }),
          expiration: trust.expiresAt,
          startInstant: trust.startInstant,
        },
      ]
    : [];
  return reply.code(challenge ? 242 : 200).send({ trusts, ...(trustId === undefined ? {} : { twoFactorTrustId: trustId }) });
}
