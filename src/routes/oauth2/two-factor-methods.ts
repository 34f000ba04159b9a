import type { FastifyInstance } from 'fastify';
import { isLegitimateLoginPost } from '../../http/csrf.js';
import { offeredMethodsOf } from '../../oauth/two-factor-login.js';
import { carriedAuthorizeRequest, csrfRefused } from './login-reply.js';
import { sendPendingCode } from './two-factor-resend.js';
import { methodsPage, twoFactorExpired, twoFactorPage } from './two-factor-step.js';

/**
 * `POST /oauth2/two-factor-methods`: the method chooser's answer (FusionAuth's "OAuth two-factor methods" page,
 * https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication, "Hosted Login Pages"). The
 * chosen `methodId` leads to its code page, an email or SMS method's code sent first; `selectMethod=true` (the code page's
 * "Choose another method") shows the chooser again with the current method checked. Every POST carries the CSRF
 * token; an unknown, used or expired `twoFactorId` answers as the code page does.
 */
export async function twoFactorMethodsRoutes(app: FastifyInstance): Promise<void> {
  app.post('/two-factor-methods', async (request, reply) => {
    const params = (request.body ?? {}) as Record<string, unknown>;
    const authz = carriedAuthorizeRequest(app.standin, request, params);
    if (!authz) return twoFactorExpired(reply, undefined);
    if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
    const tenant = app.standin.stores.tenants.get(authz.application.tenantId)!;
    const twoFactorId = typeof params.twoFactorId === 'string' ? params.twoFactorId.slice(0, 256) : '';
    const methodId = typeof params.methodId === 'string' ? params.methodId.slice(0, 64) : '';
    const pending = twoFactorId === '' ? undefined : app.standin.stores.twoFactor.findLogin(twoFactorId, app.standin.config.now());
    // A pending login belongs to the application it started in (a step-up, which names none, is not this page's).
    if (!pending || pending.body.applicationId !== authz.application.id) return twoFactorExpired(reply, params);
    if (params.selectMethod === 'true') return methodsPage(request, reply, authz, tenant, params, { twoFactorId, methodId });

    const chosen = offeredMethodsOf(app.standin, pending.userId, tenant).find((method) => method.id === methodId);
    if (!chosen) {
      const error = methodId === '' ? 'Choose a method.' : 'That method is not one of yours. Choose one of these.';
      return methodsPage(request, reply, authz, tenant, params, { twoFactorId, error }, 400);
    }
    if (chosen.method === 'email' || chosen.method === 'sms') {
      const failure = await sendPendingCode(app.standin, twoFactorId, chosen.id);
      if (failure?.kind === 'gone') return twoFactorExpired(reply, params);
      if (failure) return methodsPage(request, reply, authz, tenant, params, { twoFactorId, methodId, error: failure.message }, failure.status);
    }
    return twoFactorPage(request, reply, authz, tenant, params, { twoFactorId, methodId: chosen.id, trustComputer: params.trustComputer === 'true' });
  });
}
