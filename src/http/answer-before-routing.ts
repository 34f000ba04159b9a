import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Answers a request itself and says so, or leaves it to Fastify by returning false. */
export type EarlyResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Offers each request on `server` to the responder `responder()` returns then, if any, before Fastify's request
 * listener routes it: a request it answers costs no routing, no request and reply objects and no hook. Must be called
 * on the server a new Fastify instance made, while Fastify's listener is its only one; that listener is taken off and
 * called for what the responder leaves, and listeners added later still hear every request. For the few answers that
 * must stay cheap under a flood (shed-logins-before-routing.ts). Not Fastify's `serverFactory`: with one, Fastify no
 * longer listens on every address of a host name such as `localhost`. `inject`, and the further servers Fastify
 * makes for those addresses, always meet Fastify.
 */
export function answerBeforeRouting(server: Server, responder: () => EarlyResponder | undefined): void {
  const listeners = server.listeners('request');
  const routing = listeners[0];
  if (listeners.length !== 1 || routing === undefined) throw new Error('answerBeforeRouting: expected Fastify’s request listener alone');
  server.removeListener('request', routing as (...args: unknown[]) => void);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (responder()?.(request, response) !== true)
      (routing as (request: IncomingMessage, response: ServerResponse) => void).call(server, request, response);
  });
}
