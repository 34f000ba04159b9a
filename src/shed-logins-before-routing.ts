import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { StandinApp } from './app.js';
import { corsDecision } from './cors/policy.js';
import type { EarlyResponder } from './http/answer-before-routing.js';
import { refusalWhileSaturated } from './oauth/login-counts.js';
import { busyAnswerHold } from './passwords/busy-answer-hold.js';
import { securityHeaders } from './plugins/security-headers.js';
import { loginRefusal } from './routes/api/login-refusal.js';

const LOGIN = '/api/login';
// The levels at which Fastify writes a line for every request: an answer sent here would be missing from the log.
const REQUEST_LOG_LEVELS = new Set(['trace', 'debug', 'info']);

/**
 * While argon2 is saturated, `POST /api/login` is refused by the server's request listener
 * (http/answer-before-routing.ts) with the answer its route gives before reading the body (routes/api/login.ts),
 * held as long (passwords/busy-answer-hold.ts): a login flood that ignores Retry-After then costs the event loop a
 * header parse and one write per login instead of routing, hooks and a reply through two Fastify instances, and
 * other clients are answered between its logins sooner (docs/performance.md, "A login flood"). Only where that
 * answer is certain to be the route's, each header but Date alike: no Origin (CORS answers each origin its own way),
 * no fault set (one may name this path), the seed committed, Standin not closing, no request line to log, and the
 * client's address its socket's (`trustProxy` off).
 * Otherwise, and for every other request, Fastify answers as before.
 */
export function shedLoginsBeforeRouting(app: StandinApp, accepting: () => boolean): EarlyResponder {
  let fixedHeaders: OutgoingHttpHeaders | undefined;
  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.url !== LOGIN || request.headers.origin !== undefined) return false;
    const { standin } = app;
    const { config } = standin;
    if (!standin.passwords.saturated() || !accepting() || standin.control.faults.size > 0) return false;
    if (config.trustProxy !== false || REQUEST_LOG_LEVELS.has(config.logLevel)) return false;
    const refusal = refusalWhileSaturated(standin, request.socket.remoteAddress ?? '');
    if (!refusal) return false;
    const { statusCode, retryAfter, body } = loginRefusal(refusal);
    const json = JSON.stringify(body);
    // Held as the route holds it (passwords/busy-answer-hold.ts).
    void busyAnswerHold().then(() => {
      response.writeHead(statusCode, {
        ...(fixedHeaders ??= headersOfEveryRefusal()),
        'retry-after': retryAfter,
        'content-length': Buffer.byteLength(json),
      });
      response.end(json);
    });
    return true;
  };
}

/** The headers the API family adds to this answer in Fastify: helmet's, CORS's for no Origin, the API's no-store. */
function headersOfEveryRefusal(): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of securityHeaders().set) headers[name.toLowerCase()] = typeof value === 'object' ? [...value] : value;
  const { vary } = corsDecision(
    {
      method: 'POST',
      path: LOGIN,
      origin: undefined,
      ownOrigins: [],
      fetchSite: undefined,
      requestMethod: undefined,
      requestHeaders: undefined,
      contentType: undefined,
    },
    () => {
      throw new Error('a request without Origin reads no CORS settings');
    },
    () => false,
  );
  if (vary.length > 0) headers.vary = vary.join(', ');
  headers['cache-control'] = 'no-store';
  headers['content-type'] = 'application/json; charset=utf-8';
  return headers;
}
