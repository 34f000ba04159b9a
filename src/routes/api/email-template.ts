import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createEmailTemplate, searchEmailTemplates, updateEmailTemplate } from '../../manage/email-templates.js';
import { requireMember } from '../../manage/request-body.js';
import { isObject } from '../../model/json.js';
import { uuidParams } from './schemas.js';

interface Params {
  emailTemplateId?: string;
}

const searchQuery = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 512 },
    startRow: { type: 'integer', minimum: 0, default: 0 },
    numberOfResults: { type: 'integer', minimum: 1, maximum: 10_000, default: 25 },
  },
} as const;

/**
 * FusionAuth's Email Templates API (https://fusionauth.io/docs/apis/emails): create with or without an id,
 * retrieve one or all, replace, merge-patch, delete, search. Templates are checked as FreeMarker on save.
 */
export async function emailTemplateRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('emailTemplateId');
  const load = (id: string | undefined) => {
    const template = id === undefined ? undefined : app.standin.stores.emailTemplates.get(id);
    if (!template) throw ApiError.notFound();
    return template;
  };

  // Static paths first in meaning: `search` is not an id.
  app.post('/email/template/search', async (request) => {
    const body = isObject(request.body) ? request.body : {};
    const search = isObject(body.search) ? body.search : {};
    const startRow = typeof search.startRow === 'number' && Number.isInteger(search.startRow) && search.startRow >= 0 ? search.startRow : 0;
    const count =
      typeof search.numberOfResults === 'number' && Number.isInteger(search.numberOfResults) && search.numberOfResults > 0
        ? search.numberOfResults
        : 25;
    return searchEmailTemplates(app.standin.stores, {
      ...(typeof search.name === 'string' ? { name: search.name } : {}),
      startRow,
      numberOfResults: Math.min(count, 10_000),
    });
  });
  app.get<{ Querystring: { name?: string; startRow: number; numberOfResults: number } }>(
    '/email/template/search',
    { schema: { querystring: searchQuery } },
    async (request) => searchEmailTemplates(app.standin.stores, request.query),
  );

  for (const url of ['/email/template', '/email/template/:emailTemplateId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      emailTemplate: createEmailTemplate(
        app.standin.stores,
        app.standin.config.now(),
        request.params.emailTemplateId,
        requireMember(request.body, 'emailTemplate'),
      ),
    }));
  }
  app.get('/email/template', async () => ({ emailTemplates: app.standin.stores.emailTemplates.list() }));
  app.get<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request) => ({
    emailTemplate: load(request.params.emailTemplateId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request) => {
      const existing = load(request.params.emailTemplateId);
      const { stores, config } = request.server.standin;
      return { emailTemplate: updateEmailTemplate(stores, config.now(), existing, requireMember(request.body, 'emailTemplate'), mode) };
    });
  }
  app.delete<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request, reply) => {
    const existing = load(request.params.emailTemplateId);
    app.standin.stores.emailTemplates.delete(existing.id);
    return reply.code(200).send();
  });
}
