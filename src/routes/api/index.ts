import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, LoginPreventedError, type Errors } from '../../errors.js';
import { boundedJsonParser } from '../../http/json-body.js';
import type { ApiKey } from '../../model/api-key.js';
import { apiKeyRoutes } from './api-key.js';
import { permittedApiKey } from './api-key-access.js';
import { applicationRoutes } from './application.js';
import { applicationRoleRoutes } from './application-role.js';
import { applicationScopeRoutes } from './application-scope.js';
import { auditLogRoutes } from './audit-log.js';
import { changePasswordRoutes } from './change-password.js';
import { consentRoutes } from './consent.js';
import { formFieldRoutes } from './form-field.js';
import { formRoutes } from './form.js';
import { messageTemplateRoutes } from './message-template.js';
import { messengerRoutes } from './messenger.js';
import { emailSendRoutes } from './email-send.js';
import { entityRoutes } from './entity.js';
import { entityGrantRoutes } from './entity-grant.js';
import { entityTypeRoutes } from './entity-type.js';
import { ipAclRoutes } from './ip-acl.js';
import { connectorRoutes } from './connector.js';
import { integrationRoutes } from './integration.js';
import { emailTemplateRoutes } from './email-template.js';
import { eventLogRoutes } from './event-log.js';
import { familyRoutes } from './family.js';
import { forgotPasswordRoutes } from './forgot-password.js';
import { groupRoutes } from './group.js';
import { groupMemberRoutes } from './group-member.js';
import { identityProviderRoutes } from './identity-provider.js';
import { identityVerifyRoutes } from './identity-verify.js';
import { identityProviderLinkRoutes } from './identity-provider-link.js';
import { identityProviderLoginRoutes } from './identity-provider-login.js';
import { identityProviderLookupRoutes } from './identity-provider-lookup.js';
import { passwordlessRoutes } from './passwordless.js';
import { passwordValidationRulesRoutes } from './password-validation-rules.js';
import { jwtIssueRoutes } from './jwt-issue.js';
import { jwtReconcileRoutes } from './jwt-reconcile.js';
import { jwtPublicKeyRoutes } from './jwt-public-key.js';
import { jwtRefreshRoutes } from './jwt-refresh.js';
import { jwtValidateRoutes } from './jwt-validate.js';
import { jwtVendRoutes } from './jwt-vend.js';
import { keyRoutes } from './key.js';
import { lambdaRoutes } from './lambda.js';
import { themeRoutes } from './theme.js';
import { loginPingRoutes } from './login-ping.js';
import { loginRecordRoutes } from './login-record.js';
import { loginRoutes } from './login.js';
import { apiLogoutRoutes } from './logout.js';
import { refreshTokenRoutes } from './refresh-tokens.js';
import { registrationRoutes } from './registration.js';
import { reportRoutes } from './report.js';
import { misfitSegments } from './schemas.js';
import { statusRoutes } from './status.js';
import { systemConfigurationRoutes } from './system-configuration.js';
import { systemReindexRoutes } from './system-reindex.js';
import { tenantRoutes } from './tenant.js';
import { twoFactorRoutes } from './two-factor.js';
import { twoFactorSendRoutes } from './two-factor-send.js';
import { twoFactorStartRoutes } from './two-factor-start.js';
import { twoFactorStatusRoutes } from './two-factor-status.js';
import { userRoutes } from './user.js';
import { actioningUserRoutes } from './actioning-users.js';
import { userActionRoutes } from './user-action.js';
import { userActionReasonRoutes } from './user-action-reason.js';
import { userCommentRoutes } from './user-comment.js';
import { userConsentRoutes } from './user-consent.js';
import { userBulkRoutes } from './user-bulk.js';
import { userImportRoutes } from './user-import.js';
import { refreshTokenImportRoutes } from './refresh-token-import.js';
import { userSearchRoutes } from './user-search.js';
import { verifyEmailRoutes } from './verify-email.js';
import { webhookRoutes } from './webhook.js';
import { webhookEventLogRoutes } from './webhook-event-log.js';
import { webAuthnRoutes } from './webauthn.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key that authenticated this request; unset on the routes FusionAuth serves without one. */
    apiKey?: ApiKey;
  }
  interface FastifyContextConfig {
    /** The route needs no API key (FusionAuth serves it to anyone). */
    public?: boolean;
  }
}

// The JSON flavours FusionAuth's clients send: plain, and the two PATCH media types (RFC 7396, RFC 6902).
const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/json-patch+json'];

/**
 * `/api/*`: FusionAuth's management and JWT APIs. One encapsulated scope with FusionAuth's error body
 * `{fieldErrors, generalErrors}`, empty 401 and 404 bodies, and the raw API key in `Authorization`.
 */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const parseJson = boundedJsonParser(app);
  app.removeContentTypeParser('application/json');
  // FusionAuth's clients send empty bodies with a JSON content type (and `text/plain`, TSC `logout`), which Fastify's
  // default parser refuses (docs/management-api.md, "Client methods that send a body"): an empty body is no body.
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, _body, done) => {
    done(null, undefined);
  });

  // Tokens, users and keys are never cached by a browser or proxy (RFC 6749 §5.1).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // Before the API key is checked, as for a path no route matches at all (docs/identifiers-and-unmodelled.md).
  app.addHook('onRequest', refuseMisfitSegments);
  app.addHook('onRequest', authenticate);
  app.addHook('preValidation', dropAbsentParameters);
  app.setErrorHandler(renderError);
  // An endpoint Standin does not model says so in FusionAuth's error shape, never a silent empty 404
  // (docs/compatibility.md); unknown ids on modelled routes keep FusionAuth's empty 404.
  app.setNotFoundHandler((request, reply) => reply.code(404).send(notModelled(request)));

  // Route files that add no hook, parser or decorator of their own are called as functions, into this family's
  // context: an encapsulated context for each (\`app.register\`) was a large part of building an instance
  // (bench/README.md, "Start-up"). The few that add their own keep \`app.register\`.
  await statusRoutes(app);
  await tenantRoutes(app);
  await passwordValidationRulesRoutes(app);
  await applicationRoutes(app);
  await userRoutes(app);
  await userImportRoutes(app);
  await refreshTokenImportRoutes(app);
  await registrationRoutes(app);
  await keyRoutes(app);
  await apiKeyRoutes(app);
  await systemConfigurationRoutes(app);
  await systemReindexRoutes(app);
  await jwtPublicKeyRoutes(app);
  await jwtRefreshRoutes(app);
  await app.register(refreshTokenRoutes);
  await app.register(loginRoutes);
  await loginPingRoutes(app);
  await apiLogoutRoutes(app);
  await jwtIssueRoutes(app);
  await jwtReconcileRoutes(app);
  await jwtValidateRoutes(app);
  await jwtVendRoutes(app);
  await applicationRoleRoutes(app);
  await applicationScopeRoutes(app);
  await userSearchRoutes(app);
  await userBulkRoutes(app);
  await userActionRoutes(app);
  await userActionReasonRoutes(app);
  await actioningUserRoutes(app);
  await userCommentRoutes(app);
  await consentRoutes(app);
  await userConsentRoutes(app);
  await familyRoutes(app);
  await formFieldRoutes(app);
  await formRoutes(app);
  await messageTemplateRoutes(app);
  await messengerRoutes(app);
  await changePasswordRoutes(app);
  await forgotPasswordRoutes(app);
  await passwordlessRoutes(app);
  await emailTemplateRoutes(app);
  await emailSendRoutes(app);
  await verifyEmailRoutes(app);
  await identityVerifyRoutes(app);
  await groupRoutes(app);
  await groupMemberRoutes(app);
  await lambdaRoutes(app);
  await themeRoutes(app);
  await entityTypeRoutes(app);
  await ipAclRoutes(app);
  await connectorRoutes(app);
  await integrationRoutes(app);
  await entityRoutes(app);
  await entityGrantRoutes(app);
  await identityProviderRoutes(app);
  await identityProviderLinkRoutes(app);
  await identityProviderLoginRoutes(app);
  await identityProviderLookupRoutes(app);
  await eventLogRoutes(app);
  await auditLogRoutes(app);
  await loginRecordRoutes(app);
  await reportRoutes(app);
  await twoFactorRoutes(app);
  await twoFactorSendRoutes(app);
  await twoFactorStartRoutes(app);
  await twoFactorStatusRoutes(app);
  await webAuthnRoutes(app);
  await app.register(webhookRoutes);
  await app.register(webhookEventLogRoutes);
}

/**
 * A route matched only because one of its `:id` segments took a word it was never meant to hold: FusionAuth
 * has many named sub-resources next to its `/{id}` ones (`/api/user/import`, `/api/user/verify-email`,
 * `/api/user/comment`, …). Standin answers those, and any other segment that cannot be an id, as the
 * unmatched path they are: 404 `[NotModelled]`, never a 400 about the id's pattern or a 401 that sends the
 * caller looking for a key problem. Any route added later for such a path is a better match (a static segment
 * beats a parameter), so it takes over by itself; and a UUID that names nothing still gets FusionAuth's
 * empty 404 from the route.
 */
async function refuseMisfitSegments(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const misfits = misfitSegments(request);
  return misfits.length > 0 ? reply.code(404).send(notModelled(request, misfits)) : undefined;
}

/** FusionAuth API authentication: `Authorization: <raw API key>`, no scheme (APIs overview, "Authentication"). */
async function authenticate(request: FastifyRequest): Promise<void> {
  if (request.routeOptions.config.public === true || request.is404) return;
  if (!permittedApiKey(request)) throw ApiError.unauthorized();
}

/**
 * FusionAuth's TypeScript client puts every optional argument on the query string, an omitted one as the
 * text `undefined` or `null` (DefaultRESTClient.getQueryString: `revokeRefreshToken(token)` sends
 * `?token=…&userId=undefined&applicationId=undefined`); FusionAuth reads those as absent, and so does Standin.
 */
async function dropAbsentParameters(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (value === 'undefined' || value === 'null') delete query[name];
  }
}

function renderError(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof LoginPreventedError) return reply.code(409).send({ actions: error.actions });
  if (error instanceof ApiError) {
    return error.errors ? reply.code(error.statusCode).send(error.errors) : reply.code(error.statusCode).send();
  }
  const status = error.statusCode ?? 500;
  if (error.validation) {
    return reply.code(400).send(generalError('[invalid]', error.message));
  }
  if (status === 413) return reply.code(413).send(generalError('[tooLarge]', 'The request body is larger than this server accepts.'));
  if (status === 415) {
    return reply
      .code(400)
      .send(
        generalError(
          '[UnsupportedContentType]',
          `Unsupported [Content-Type] HTTP request header value of [${request.headers['content-type'] ?? ''}].`,
        ),
      );
  }
  if (status === 400) {
    return reply.code(400).send(generalError('[invalidJSON]', `Unable to parse JSON. ${error.message}`));
  }
  if (status < 500) return reply.code(status).send(generalError(`[${(error.code as string | undefined) ?? 'invalid'}]`, error.message));
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(generalError('[InternalError]', 'Standin could not complete the request; see its log.'));
}

function notModelled(request: FastifyRequest, misfits: string[] = []): Errors {
  const path = request.url.split('?')[0];
  // Said when the path looks like an id route, so that a mistyped id is not taken for a missing feature.
  const ids =
    misfits.length === 0 ? '' : ` (${misfits.map((value) => `[${value}]`).join(' and ')} cannot be an id there, so it names nothing either)`;
  return generalError('[NotModelled]', `Standin does not model ${request.method} ${path}${ids}; see docs/compatibility.md.`);
}

function generalError(code: string, message: string): Errors {
  return { fieldErrors: {}, generalErrors: [{ code, message }] };
}
