import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isReplaying } from '../../kickstart/replay-requests.js';
import { notRunAttachments } from '../../lambdas/not-run.js';
import type { JsonObject } from '../../model/json.js';

/**
 * Refuses, with `[NotModelled]`, a request that attaches a lambda Standin never runs (login validation, self-service
 * registration validation, SAML and client credentials populate, …; docs/lambdas.md): stored, it would be skipped
 * in silence. A kickstart's attachments are accepted and listed in the start banner, so that kickstarts written
 * for FusionAuth run unchanged.
 */
export function refuseNotRunLambdas(
  request: FastifyRequest,
  owner: 'application' | 'tenant',
  input: JsonObject,
  existing: JsonObject | undefined,
): void {
  if (isReplaying(request.server)) return;
  const fields = notRunAttachments(owner, input, existing);
  if (fields.length === 0) return;
  throw ApiError.general(
    '[NotModelled]',
    `Standin does not run the lambdas of [${fields.join('], [')}]: a lambda attached there would never run; see docs/lambdas.md.`,
  );
}
