import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfSecret } from '../../http/csrf.js';
import { passwordlessEnabled } from '../../manage/passwordless.js';
import { registrationConfigurationOf } from '../../model/registration-configuration.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { pickableUsers } from '../../oauth/dev-user-picker.js';
import { offeredIdentityProviders } from '../../oauth/offered-identity-providers.js';
import { csrfToken } from '../../oauth/login-csrf.js';

import type { Standin } from '../../standin.js';

// The hidden fields of FusionAuth's login form (its theme helper `oauthHiddenFields`).
export const HIDDEN_FIELDS = [
  'captcha_token',
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'metaData.device.name',
  'metaData.device.type',
  'nonce',
  'oauth_context',
  'max_age',
  'pendingIdPLinkId',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
  'timezone',
  'user_code',
];

/** The hosted login page (`views/login.eta`): the form, the authorization request it carries on, and its links. */
export function loginPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
  form: { loginId: string; rememberDevice: boolean; error?: string },
  status = 200,
): FastifyReply {
  const hidden = HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]]] : []));
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)]);
  const pickable = standin.config.devUserPicker ? pickableUsers(standin, authz) : [];
  // FusionAuth's login page links carry the authorization request on (its theme helper `link`).
  const carried = new URLSearchParams(hidden.slice(0, -1)).toString();
  const passwordless = passwordlessEnabled(authz.application) ? `/oauth2/passwordless?${carried}` : undefined;
  const registerUrl = registrationConfigurationOf(authz.application).enabled ? `/oauth2/register?${carried}` : undefined;
  return reply.code(status).view('login', {
    applicationName: authz.application.name,
    hidden,
    ...form,
    error: form.error,
    pickable,
    forgotPassword: `/password/forgot?${carried}`,
    passwordless,
    registerUrl,
    // A button per OpenID Connect provider enabled for the application (docs/identity-providers.md).
    identityProviders: offeredIdentityProviders(standin, authz),
  });
}
