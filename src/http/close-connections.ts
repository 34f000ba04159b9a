import type { Server, ServerResponse } from 'node:http';

// The responses each server has yet to finish: its requests in flight.
const answering = new WeakMap<Server, Set<ServerResponse>>();

/** Counts `server`'s requests in flight from now on, for closeConnectionsOnceAnswered; once per server. */
export function trackRequestsInFlight(server: Server): void {
  if (answering.has(server)) return;
  const responses = new Set<ServerResponse>();
  answering.set(server, responses);
  server.on('request', (_request, response: ServerResponse) => {
    responses.add(response);
    response.once('close', () => responses.delete(response));
  });
}

/**
 * For a server that stops: once it has answered its requests in flight, ends every connection it still has, and
 * keeps doing so until it has closed. Node's server.close() ends only the connections it counts as idle, and a
 * connection that has sent nothing yet (a browser's preconnect) or part of a request line is not: it would hold
 * the stop until the client gives up. Fastify's `forceCloseConnections: true` ends every connection at once,
 * requests in flight included, and tracking each socket's state would use Node's private fields: counting the
 * requests in flight and ending all connections once there are none is the simplest rule that answers every
 * request already received (its body included). Ending them again until the server closes catches a connection
 * accepted meanwhile.
 */
export function closeConnectionsOnceAnswered(server: Server): void {
  const responses = answering.get(server) ?? new Set();
  const poll = setInterval(() => {
    if (!answersPending(responses)) server.closeAllConnections();
  }, 10);
  // The connections keep the process alive while there are any; the poll alone must not.
  poll.unref();
  server.once('close', () => {
    clearInterval(poll);
  });
}

function answersPending(responses: Set<ServerResponse>): boolean {
  for (const response of responses) {
    // A request whose body has not all arrived is not yet received: a client that stops sending it would hold the
    // stop for as long as it keeps the connection open.
    if (!response.req.socket.destroyed && response.req.complete) return true;
    // A pipelined request queued behind another gets no 'close' when its connection drops (Node's _http_server.js).
    if (response.req.socket.destroyed) responses.delete(response);
  }
  return false;
}
