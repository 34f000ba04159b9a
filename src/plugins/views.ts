import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const VIEWS = new URL('../../views/', import.meta.url);

/**
 * Server-rendered pages through eta with auto-escaping on: every value in a page is HTML-escaped unless a
 * template asks otherwise, so user input cannot become markup (docs/hardening.md, "Headers").
 */
export const viewsPlugin = fp(
  async (app: FastifyInstance) => {
    const eta = new Eta({ views: VIEWS.pathname, autoEscape: true, cache: true });
    await app.register(view, { engine: { eta }, root: VIEWS.pathname, viewExt: 'eta' });
  },
  { name: 'views' },
);
