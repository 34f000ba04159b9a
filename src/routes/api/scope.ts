import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, LoginPreventedError, type Errors } from '../../errors.js';
import { boundedJsonParser } from '../../http/json-body.js';
import type { ApiKey } from '../../model/api-key.js';
import { permittedApiKey } from './api-key-access.js';
import { misfitSegments } from './schemas.js';

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
 * One encapsulated scope with FusionAuth's error body `{fieldErrors, generalErrors}`, empty 401 and 404 bodies, and
 * the raw API key in `Authorization`.
 */
export function addApiScope(app: FastifyInstance): void {
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
