import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clockRoutes } from './clock.js';
import { controlGuard } from './guard.js';
import { emailRoutes } from './emails.js';
import { smsRoutes } from './sms.js';
import { eventRoutes } from './events.js';
import { faultRoutes } from './faults.js';
import { resetRoutes } from './reset.js';
import { tokenRoutes } from './tokens.js';
import { twoFactorControlRoutes } from './two-factor.js';

/**
 * `/_standin/*`: the test control API (docs/test-control.md), under a prefix FusionAuth never uses. JSON in and out,
 * `no-store`, every route behind controlGuard (404 when off, 401 without a kickstart API key). Errors are
 * `{error, message}`: a mistake in the request is `invalid_request`/400.
 *
 * | route | does |
 * |---|---|
 * | `GET /_standin/clock` · `POST {advanceSeconds}` or `{set}` · `DELETE` | read, move, or put back Standin's clock |
 * | `GET /_standin/faults` · `POST {path, …}` · `DELETE [/{id}]` | list, add, clear faults |
 * | `POST /_standin/reset` | back to the state right after the kickstart |
 * | `POST /_standin/revoke` · `POST /_standin/expire` `{userId?, applicationId?} \| {refreshTokenId} \| {refreshToken} \| {ssoSessionId}` | end or expire login state |
 * | `GET /_standin/sessions[?userId]` · `GET /_standin/refresh-tokens[?userId&applicationId]` | list SSO sessions and refresh token families |
 * | `GET /_standin/emails[?to&type&wait]` · `DELETE /_standin/emails` | read (or wait for) and clear the email outbox |
 * | `GET /_standin/sms[?to&type]` · `DELETE /_standin/sms` | read and clear the SMS outbox (texts sent through a messenger) |
 * | `GET /_standin/two-factor/{userId}/code[?methodId]` | the user's current TOTP code |
 * | `GET /_standin/events[?type&tenantId&wait]` · `DELETE /_standin/events` | read (or wait for) and clear the webhook event log |
 */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', controlGuard);
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler(renderControlError);

  // Route files that add no hook, parser or decorator of their own are called as functions, into this family's
  // context: an encapsulated context for each (\`app.register\`) was a large part of building an instance
  // (bench/README.md, "Start-up"). The few that add their own keep \`app.register\`.
  await clockRoutes(app);
  await faultRoutes(app);
  await resetRoutes(app);
  await tokenRoutes(app);
  await emailRoutes(app);
  await smsRoutes(app);
  await twoFactorControlRoutes(app);
  await eventRoutes(app);
}

/** TypeError and RangeError are what the control functions throw for bad input. */
function renderControlError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = (error as FastifyError).statusCode ?? (error instanceof TypeError || error instanceof RangeError ? 400 : 500);
  if (status >= 500) {
    request.log.error({ err: error }, 'control request failed');
    return reply.code(500).send({ error: 'server_error', message: 'The control request failed; see the server log.' });
  }
  return reply.code(status).send({ error: 'invalid_request', message: error.message });
}
