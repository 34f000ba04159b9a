import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../errors.js';
import { setSecurityHeaders } from '../plugins/security-headers.js';

const MESSAGE = 'The request path is not a valid URL: a % must begin an escape of two hexadecimal digits, and the escapes must encode UTF-8.';

/**
 * Fastify's `frameworkErrors`: the answer to a path its router cannot decode (`/api/user/%ff`, `/oauth2/token%zz`),
 * which Fastify gives before any hook runs. Its own answer echoes the raw path, query included, without the headers
 * every other answer has; this one is a 400 with the security headers and `Cache-Control: no-store`, in the error
 * shape of the path's family, and echoes nothing (docs/hardening.md, "Malformed paths"). Long path segments never
 * get here: the router's bound on them is lifted (app-shared-parts.ts), so each route judges its ids.
 */
export function answerBadUrl(_error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  setSecurityHeaders(reply.raw);
  reply.header('cache-control', 'no-store').code(400);
  const path = request.raw.url ?? '';
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
  if (under('/api')) void reply.send({ fieldErrors: {}, generalErrors: [{ code: '[InvalidURL]', message: MESSAGE }] });
  else if (under('/oauth2')) void reply.send(new OAuthError('invalid_request', 'unknown', MESSAGE).toJSON());
  else if (under('/_standin')) void reply.send({ error: 'invalid_request', message: MESSAGE });
  else void reply.type('text/plain; charset=utf-8').send(MESSAGE);
}
