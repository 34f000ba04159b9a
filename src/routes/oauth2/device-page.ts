import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { OAuthError, OAuthRetryLater } from '../../errors.js';
import { EMAIL_CSRF_COOKIE, isLegitimatePagePost, pageCsrfSecret } from '../../http/csrf.js';
import { isUuid } from '../../model/json.js';
import { approveDevice, DEVICE_CODE_GRANT, interactiveScope, pendingDeviceGrant } from '../../oauth/device-authorization.js';
import { deviceCompleteUri, deviceLoginState, isDeviceLoginState, unusedCodeChallenge } from '../../oauth/device-login.js';
import { pageCsrfToken } from '../../oauth/page-csrf.js';
import { checkUserCodeGuarded } from '../../oauth/user-code-guard.js';
import { withQueryParams } from '../../oauth/with-query-params.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';

const field = { type: 'string', maxLength: 1024 } as const;
const formSchema = {
  type: 'object',
  properties: { client_id: field, tenantId: field, user_code: field, csrf_token: field },
} as const;
const completeSchema = {
  type: 'object',
  properties: { code: field, state: field, error: field, error_description: field, error_reason: field, iss: field, locale: field, userState: field },
} as const;

type Form = { client_id?: string; tenantId?: string; user_code?: string; csrf_token?: string };
type Complete = { code?: string; state?: string; error?: string; error_description?: string };

// The fields a device form carries and its CSRF token binds (editing one breaks the token).
const BOUND = ['client_id', 'tenantId'] as const;
const PURPOSE = 'device';
// The user code between the device form and /oauth2/device-complete: HttpOnly, SameSite=Strict, sent to that page only.
const USER_CODE_COOKIE = 'standin.device';
const COMPLETE_PATH = '/oauth2/device-complete';

/**
 * FusionAuth's hosted device page (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints, "Device
 * Validate": "the FusionAuth provided form /oauth2/device"): the user types the code their device shows (or arrives
 * with it from `verification_uri_complete`), logs in through the ordinary hosted login, and the device is approved
 * for them; `/oauth2/device-complete` says so. The grant is approved once the login has ended (FusionAuth: "the grant
 * will be automatically approved once the user has completed authentication"). docs/device-grant.md.
 */
export async function devicePageRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Form }>('/device', { schema: { querystring: formSchema } }, async (request, reply) => {
    const refused = unknownClient(app.standin, reply, request.query.client_id);
    if (refused) return refused;
    return devicePage(request, reply, request.query, request.query.user_code ?? '');
  });

  app.post<{ Body: Form | undefined }>('/device', { schema: { body: formSchema } }, async (request, reply) => {
    const form = request.body ?? {};
    const refused = unknownClient(app.standin, reply, form.client_id);
    if (refused) return refused;
    if (!isLegitimatePagePost(request, PURPOSE, form, BOUND)) {
      return reply.code(403).view('notice', {
        title: 'Form expired',
        paragraphs: ['This form expired or was not sent by Standin. Open the device page again and enter your code.'],
      });
    }
    const userCode = (form.user_code ?? '').trim();
    if (userCode === '') return devicePage(request, reply, form, userCode, 'Required', 400);
    let applicationId: string;
    let scope: string;
    try {
      const grant = checkUserCodeGuarded(app.standin, request.ip, () => {
        const found = pendingDeviceGrant(app.standin, userCode, form.client_id);
        if (!app.standin.stores.applications.get(found.applicationId)?.oauthConfiguration.enabledGrants.includes(DEVICE_CODE_GRANT)) {
          throw new OAuthError('invalid_request', 'invalid_user_code', 'The user_code is invalid.');
        }
        return found;
      });
      ({ applicationId, scope } = grant);
    } catch (error) {
      if (error instanceof OAuthRetryLater) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return devicePage(request, reply, form, userCode, `Too many wrong codes. Try again in ${error.retryAfterSeconds} seconds.`, 429);
      }
      if (!(error instanceof OAuthError)) throw error;
      const message = error.reason === 'user_code_expired' ? 'This code has expired. Start again on your device.' : 'Invalid user code.';
      return devicePage(request, reply, form, userCode, message, 400);
    }
    // The hosted login, as any application's: SSO, second factor, gates and all (routes/oauth2/authorize.ts).
    const base = requestBaseUrl(request, app.standin.baseUrl());
    reply.setCookie(USER_CODE_COOKIE, userCode, { path: COMPLETE_PATH, httpOnly: true, sameSite: 'strict', secure: secureCookies(request) });
    const authorize = withQueryParams('/oauth2/authorize', [
      ['client_id', applicationId],
      ['response_type', 'code'],
      ['redirect_uri', deviceCompleteUri(base)],
      ['scope', interactiveScope(scope)],
      ['state', deviceLoginState(pageCsrfSecret(request, reply), userCode)],
      ['code_challenge', unusedCodeChallenge()],
      ['code_challenge_method', 'S256'],
    ]);
    return reply.redirect(authorize, 303);
  });

  app.get<{ Querystring: Complete }>('/device-complete', { schema: { querystring: completeSchema } }, async (request, reply) => {
    const { standin } = request.server;
    const { code, state, error } = request.query;
    const secret = request.cookies[EMAIL_CSRF_COOKIE];
    const remembered = request.cookies[USER_CODE_COOKIE];
    const userCode = secret && remembered && state && isDeviceLoginState(secret, remembered, state) ? remembered : undefined;
    reply.clearCookie(USER_CODE_COOKIE, { path: COMPLETE_PATH, httpOnly: true, sameSite: 'strict', secure: secureCookies(request) });
    if (error !== undefined) return failed(reply, request.query.error_description ?? error);
    if (!code || !userCode) return failed(reply, 'This page can only be reached by entering your code on the device page.');
    const now = standin.config.now();
    const redemption = standin.stores.db.transaction(() => standin.stores.authorizationCodes.redeem(code, now)).immediate();
    const base = requestBaseUrl(request, standin.baseUrl());
    const validTarget = [deviceCompleteUri(base), deviceCompleteUri(standin.baseUrl())];
    if (redemption.outcome !== 'redeemed' || !validTarget.includes(redemption.grant.redirectUri)) {
      return failed(reply, 'Your login has expired or was already used. Enter your code on the device page again.');
    }
    const { grant } = redemption;
    try {
      approveDevice(standin, userCode, grant.applicationId, {
        userId: grant.userId,
        authTime: grant.authTime,
        authenticationType: grant.authenticationType,
        ...(grant.ssoSessionId === undefined ? {} : { ssoSessionId: grant.ssoSessionId }),
      });
    } catch (refusal) {
      if (!(refusal instanceof OAuthError)) throw refusal;
      const message = refusal.reason === 'user_code_expired' ? 'This code has expired. Start again on your device.' : 'This code is no longer valid.';
      return failed(reply, message);
    }
    const application = standin.stores.applications.get(grant.applicationId);
    return reply.view('notice', {
      title: 'Device connected',
      paragraphs: [
        `Your device is now connected to ${application?.name ?? 'the application'}.`,
        'You may close this window and return to your device.',
      ],
    });
  });
}

function devicePage(request: FastifyRequest, reply: FastifyReply, form: Form, userCode: string, error?: string, status = 200): FastifyReply {
  const hidden = BOUND.flatMap((name) => (typeof form[name] === 'string' && form[name] !== '' ? [[name, form[name]] as const] : []));
  const csrf = pageCsrfToken(pageCsrfSecret(request, reply), PURPOSE, hidden);
  return reply.code(status).view('device', { hidden: [...hidden, ['csrf_token', csrf]], userCode, error });
}

/** A named client that does not exist, is not active or does not enable the device grant gets the error page. */
function unknownClient(standin: Standin, reply: FastifyReply, clientId: string | undefined): FastifyReply | undefined {
  if (clientId === undefined || clientId === '') return undefined;
  const application = isUuid(clientId) ? standin.stores.applications.get(clientId) : undefined;
  if (application?.active && application.oauthConfiguration.enabledGrants.includes(DEVICE_CODE_GRANT)) return undefined;
  const error = new OAuthError(
    'invalid_request',
    'invalid_client_id',
    `Invalid client_id ${clientId}, or its application does not enable the device grant.`,
  );
  return reply.code(400).view('error', { description: error.description, error: error.toJSON() });
}

function failed(reply: FastifyReply, description: string): FastifyReply {
  return reply
    .code(400)
    .view('notice', { title: 'Device not connected', paragraphs: [description], back: '/oauth2/device', backLabel: 'Enter a code' });
}
