import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, OAuthRetryLater } from '../../errors.js';
import { authorizeRoutes } from './authorize.js';
import { deviceRoutes } from './device.js';
import { devicePageRoutes } from './device-page.js';
import { identityProviderCallbackRoutes } from './identity-provider-login.js';
import { introspectRoutes } from './introspect.js';
import { logoutRoutes } from './logout.js';
import { registerRoutes } from './register.js';
import { passwordlessPageRoutes } from './passwordless.js';
import { tokenRoutes } from './token.js';
import { twoFactorPageRoutes } from './two-factor.js';
import { twoFactorMethodsRoutes } from './two-factor-methods.js';
import { userinfoRoutes } from './userinfo.js';

// OAuth requests are small; a large body is an attack or a mistake (docs/hardening.md, "Request bodies").
const BODY_LIMIT = 64 * 1024;

/**
 * `/oauth2/*`: one encapsulated scope with form bodies only (RFC 6749 §3.2), `Cache-Control: no-store` on
 * every answer (RFC 6749 §5.1), and errors as OAuth JSON `{error, error_description, error_reason}`
 * (RFC 6749 §5.2, FusionAuth's OAuthError). The authorize endpoint renders its own errors: an HTML page
 * or a redirect, depending on whether the redirect_uri is validated yet.
 */
export async function oauth2Routes(app: FastifyInstance): Promise<void> {
  // Form bodies only: a JSON body is refused as invalid_request, not parsed (RFC 6749 §3.2).
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  });
  app.setErrorHandler(renderOAuthError);
  // An endpoint Standin does not model (`/oauth2/consent`, …) says so, in this family's error shape.
  app.setNotFoundHandler((request, reply) => {
    const description = `Standin does not model ${request.method} ${request.url.split('?')[0]}; see docs/compatibility.md.`;
    return reply.code(404).send(new OAuthError('invalid_request', 'unknown', description).toJSON());
  });

  // Route files that add no hook, parser or decorator of their own are called as functions, into this family's
  // context: an encapsulated context for each (\`app.register\`) was a large part of building an instance
  // (bench/README.md, "Start-up"). The few that add their own keep \`app.register\`.
  await authorizeRoutes(app);
  await tokenRoutes(app);
  await deviceRoutes(app);
  await devicePageRoutes(app);
  await userinfoRoutes(app);
  await introspectRoutes(app);
  await logoutRoutes(app);
  await registerRoutes(app);
  await passwordlessPageRoutes(app);
  await twoFactorPageRoutes(app);
  await twoFactorMethodsRoutes(app);
  await identityProviderCallbackRoutes(app);
}

function renderOAuthError(error: FastifyError | OAuthError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof OAuthRetryLater) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof OAuthError) return reply.code(error.statusCode).send(error.toJSON());
  const status = error.statusCode ?? 500;
  if (status < 500) {
    // Fastify's own 400/413/415 (validation, size, content type) in RFC 6749 §5.2's shape.
    const description =
      status === 415
        ? 'The request body must be application/x-www-form-urlencoded.'
        : status === 413
          ? 'The request body is too large.'
          : error.message;
    return reply.code(status === 413 ? 413 : 400).send(new OAuthError('invalid_request', 'unknown', description).toJSON());
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(new OAuthError('server_error', 'unknown', 'Standin could not complete the request; see its log.').toJSON());
}
