import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requestEventInfo } from '../../events/payloads.js';
import { isObject, type JsonObject } from '../../model/json.js';

/**
 * The `event.info` of a management request: the body's `eventInfo` (FusionAuth's BaseEventRequest, which the User
 * and Registration APIs' requests extend), else the caller's address (docs/webhooks.md). Any other JSON there is a
 * body FusionAuth cannot parse.
 */
export function eventInfoOfRequest(request: FastifyRequest): JsonObject {
  const given = isObject(request.body) ? request.body.eventInfo : undefined;
  if (given !== undefined && given !== null && !isObject(given))
    throw ApiError.general('[invalidJSON]', 'Unable to parse JSON. The [eventInfo] property must be an object.');
  return requestEventInfo(isObject(given) ? given : undefined, request.ip);
}
