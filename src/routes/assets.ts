import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const STYLESHEET = readFileSync(new URL('../../views/standin.css', import.meta.url), 'utf8');
const FORM_POST_SCRIPT = readFileSync(new URL('../../views/form-post.js', import.meta.url), 'utf8');

/**
 * The pages' stylesheet and the one script, served from Standin's own origin so the CSP can stay at
 * `style-src 'self'` and `script-src 'self'` with nothing inline.
 */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/standin.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  app.get('/form-post.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(FORM_POST_SCRIPT),
  );
}
