import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  raw: string;
  event: Record<string, any>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedEvent[];
  /** The answer to the next requests: a status, and a delay before it. */
  respond(status: number, delayMs?: number): void;
  /** The first received event of `type` (waiting up to `timeoutMs` for it). */
  waitFor(type: string, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

/** A webhook endpoint on loopback that keeps what it receives and answers as told (200 by default). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  let status = 200;
  let delayMs = 0;
  const waiters: Array<() => void> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let event: Record<string, any> = {};
      try {
        event = JSON.parse(raw).event ?? {};
      } catch {
        // Kept as received; the test sees an empty event.
      }
      received.push({ headers: request.headers, raw, event });
      for (const wake of waiters.splice(0)) wake();
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?token=not-for-logs`,
    received,
    respond(next, delay = 0) {
      status = next;
      delayMs = delay;
    },
    async waitFor(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find((entry) => entry.event.type === type);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${type} event arrived; got ${received.map((entry) => entry.event.type).join(', ') || 'none'}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
