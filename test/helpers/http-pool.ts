import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Plain HTTP/1.1 over keep-alive sockets: a pool of `connections` sockets, opened before a test fires, so
 * that requests sent in one tick reach the server together instead of waiting on TCP handshakes.
 */
export function httpPool(baseUrl: string, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, baseUrl),
        { method, agent, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    send,
    form: (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      send('POST', path, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers }),
    json: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      send('POST', path, JSON.stringify(body), { 'content-type': 'application/json', ...headers }),
    /** Opens every socket of the pool with as many concurrent requests. */
    warm: async (path = '/api/status') => {
      await Promise.all(Array.from({ length: connections }, () => send('GET', path)));
    },
    close: () => {
      agent.destroy();
    },
  };
}
