import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long one sign of several clients at once keeps counting as concurrent load. */
const MEMORY_MS = 100;

/**
 * Whether `server` has lately served several clients at once: within the last tenth of a second, a request came on
 * another connection than the request before it while that one was still open. One client waiting for each
 * answer before it asks again never does so, ten clients soon do. Read by the JWT signer to choose where to
 * sign (keys/signing-placement.ts). Not the count of requests in flight: a server that signs inline answers each
 * request before it reads the next, so it never has two in flight however many clients wait.
 * Requests injected with `app.inject` never reach the server and are not counted.
 */
export function trackConcurrentClients(server: Server): () => boolean {
  let previous: Socket | undefined;
  let lastConcurrentAt = Number.NEGATIVE_INFINITY;
  server.on('request', ({ socket }: { socket: Socket }) => {
    if (previous !== undefined && previous !== socket && !previous.destroyed) lastConcurrentAt = performance.now();
    previous = socket;
  });
  return () => performance.now() - lastConcurrentAt < MEMORY_MS;
}
