import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers a request itself and says so, or leaves it to Fastify by returning false. */
export type EarlyResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * A Fastify `serverFactory` (https://fastify.dev/docs/latest/Reference/Server/#serverfactory) for the HTTP server
 * Fastify would make, with the same timeouts, whose request listener first offers each request to the responder that
 * `responder()` returns then, if any: a request it answers costs no routing, no request and reply objects and no
 * hook. For the few answers that must stay cheap under a flood (shed-logins-before-routing.ts); `inject` never
 * reaches a server, so it always meets Fastify.
 */
export function serverAnsweringFirst(responder: () => EarlyResponder | undefined): FastifyServerFactory {
  return (handler, options) => {
    const server = createServer((options.http ?? {}) as ServerOptions, (request, response) => {
      if (responder()?.(request, response) !== true) handler(request, response);
    });
    // What Fastify sets on the server it makes itself (fastify/lib/server.js), from its options with their defaults.
    const setting = (name: string) => (typeof options[name] === 'number' ? options[name] : undefined);
    server.keepAliveTimeout = setting('keepAliveTimeout') ?? server.keepAliveTimeout;
    server.requestTimeout = setting('requestTimeout') ?? server.requestTimeout;
    server.setTimeout(setting('connectionTimeout') ?? 0);
    const perSocket = setting('maxRequestsPerSocket');
    if (perSocket !== undefined && perSocket > 0) server.maxRequestsPerSocket = perSocket;
    return server;
  };
}
