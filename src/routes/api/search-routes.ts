import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { isObject, type JsonObject } from '../../model/json.js';

/** One search request, GET or POST, as the answer needs it. */
export interface SearchRequest {
  request: FastifyRequest;
  /** The criteria: the POST body's `search`, or the GET's query parameters. */
  criteria: unknown;
  /** How errors name the criteria: `search.name` for a POST, `name` for a GET. */
  prefix: 'search.' | '';
  /** Where the members beside the criteria are (an application search's `expand`): the POST body, or the query. */
  outer: JsonObject;
}

/**
 * FusionAuth's search APIs take the same criteria as GET parameters or as a POST body's `search` member
 * ("Calling this API with either the GET or POST HTTP method will provide the same search results", e.g.
 * https://fusionauth.io/docs/apis/applications); both are served by `answer`.
 */
export function searchRoutes(
  app: FastifyInstance,
  url: string,
  answer: (search: SearchRequest) => unknown,
  options: RouteShorthandOptions = {},
): void {
  app.get(url, options, async (request) => {
    const query = request.query as JsonObject;
    return answer({ request, criteria: query, prefix: '', outer: query });
  });
  app.post(url, options, async (request) => {
    const body = isObject(request.body) ? request.body : {};
    return answer({ request, criteria: body.search, prefix: 'search.', outer: body });
  });
}
