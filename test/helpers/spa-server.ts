import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Serves a single-page app built by Vite from `dist` on 127.0.0.1 (a random port): `/assets/*` as files,
 * `/config.json` as `config(port)` (so the page learns Standin's URL and its own after both listen), and
 * `index.html` for every other path, as a SPA host does. `url` is how a browser on this machine names it
 * (`localhost`); a test that wants another origin builds it from `port`.
 */
export async function serveSpa(dist: string, config: (port: number) => object): Promise<{ server: Server; port: number; url: string }> {
  let port = 0;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config(port)));
      return;
    }
    const file = path.startsWith('/assets/') ? path : '/index.html';
    readFile(join(dist, file)).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return { server, port, url: `http://localhost:${port}` };
}
