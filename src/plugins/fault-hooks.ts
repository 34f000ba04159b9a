import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseBasicCredentials } from '../http/basic-credentials.js';
import type { Fault, FaultProbe } from '../control/faults.js';

// The delays under way, by instance.
const delays = new WeakMap<FastifyInstance, Set<AbortController>>();

/** A delay never holds up closing the server: closing aborts it and the request carries on. */
export function abortFaultDelays(app: FastifyInstance): void {
  for (const controller of delays.get(app) ?? []) controller.abort();
}

/**
 * Applies the fault list to every request, on the root instance so that it comes before any route family's
 * own hooks, parsers and handlers. `onRequest` takes the faults it can match from the method, path, query and
 * Basic header; a fault bound to a client whose id may be in the body waits for `preValidation`, after the
 * body is parsed and before schema validation. Must be added before the routes are registered. The faults are
 * the current Standin's (`app.standin`, create-standin.ts). A route family's instance passes its root as `owner`, so
 * that aborting the root's delays aborts its families' too.
 */
export function addFaultHooks(app: FastifyInstance, owner: FastifyInstance = app): void {
  let pending = delays.get(owner);
  if (!pending) delays.set(owner, (pending = new Set<AbortController>()));
  // Requests whose client id may be in the body, for preValidation to look at again.
  const waitsForBody = new WeakSet<FastifyRequest>();
  app.addHook('preClose', async () => {
    abortFaultDelays(owner);
  });

  const apply = async (fault: Fault, reply: FastifyReply) => {
    if (fault.delayMs) {
      const controller = new AbortController();
      pending.add(controller);
      await sleep(fault.delayMs, undefined, { signal: controller.signal }).catch(() => undefined);
      pending.delete(controller);
    }
    if (fault.oauthError !== undefined) {
      // RFC 6749 §5.2 and FusionAuth's error_reason; no-store as on every /oauth2 answer (RFC 6749 §5.1).
      const status = fault.status ?? (fault.oauthError === 'invalid_client' ? 401 : 400);
      const body = {
        error: fault.oauthError,
        error_description: fault.errorDescription ?? `Injected by a Standin fault (${fault.id}).`,
        ...(fault.errorReason ? { error_reason: fault.errorReason } : {}),
      };
      return reply.code(status).header('cache-control', 'no-store').header('x-standin-fault', fault.id).send(body);
    }
    if (fault.status !== undefined) {
      reply.code(fault.status).header('x-standin-fault', fault.id);
      if (typeof fault.body === 'string') return reply.type('text/plain; charset=utf-8').send(fault.body);
      return fault.body === undefined ? reply.send() : reply.send(fault.body);
    }
    return undefined;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (app.standin.control.faults.size === 0) return;
    const probe = probeOf(request);
    if (probe.path.startsWith('/_standin/')) return;
    const clientId = clientIdBeforeBody(request);
    const known: FaultProbe = clientId === undefined ? probe : { ...probe, clientId };
    const fault = app.standin.control.faults.take(known, clientId !== undefined);
    if (fault) return apply(fault, reply);
    if (clientId === undefined && app.standin.control.faults.waitsForClient(probe)) waitsForBody.add(request);
  });

  app.addHook('preValidation', async (request, reply) => {
    if (!waitsForBody.has(request)) return;
    const clientId = clientIdOfBody(request.body);
    if (clientId === undefined) return;
    const fault = app.standin.control.faults.take({ ...probeOf(request), clientId }, true);
    if (fault) return apply(fault, reply);
  });
}

function probeOf(request: FastifyRequest): FaultProbe {
  const query = request.url.indexOf('?');
  return { method: request.method, path: query === -1 ? request.url : request.url.slice(0, query) };
}

/** `client_id` or `applicationId` from the query, else the client of HTTP Basic (RFC 6749 §2.3.1). */
function clientIdBeforeBody(request: FastifyRequest): string | undefined {
  const fromQuery = clientIdOfBody(request.query);
  if (fromQuery !== undefined) return fromQuery;
  const basic = parseBasicCredentials(request.headers.authorization);
  return basic === 'malformed' ? undefined : basic?.clientId;
}

function clientIdOfBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { client_id: clientId, applicationId } = body as Record<string, unknown>;
  if (typeof clientId === 'string' && clientId !== '') return clientId;
  return typeof applicationId === 'string' && applicationId !== '' ? applicationId : undefined;
}
